// Keyset pagination (the post's "Implement pagination for large result sets"), newest first on id, with an
// opaque cursor and limit 1–100 (default 20), as our services page.
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

class BadRequest extends Error {
  constructor(message) {
    super(message);
    this.status = 400;
    this.expose = true;
  }
}

// Returns { limit, before } or throws a 400.
function parsePage(query) {
  let limit = DEFAULT_LIMIT;
  if (query.limit !== undefined) {
    if (!/^\d+$/.test(String(query.limit))) throw new BadRequest(`limit must be between 1 and ${MAX_LIMIT}.`);
    limit = Number(query.limit);
    if (limit < 1 || limit > MAX_LIMIT) throw new BadRequest(`limit must be between 1 and ${MAX_LIMIT}.`);
  }
  let before = Number.MAX_SAFE_INTEGER;
  if (query.cursor !== undefined && query.cursor !== '') {
    const decoded = Buffer.from(String(query.cursor), 'base64url').toString('utf8');
    if (!/^\d{1,15}$/.test(decoded)) throw new BadRequest('cursor is not valid.');
    before = Number(decoded);
  }
  return { limit, before };
}

// rows were fetched with LIMIT limit + 1: the extra row says whether another page exists.
function toPage(rows, limit) {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: Buffer.from(String(last.id), 'utf8').toString('base64url') };
}

// Route ids: digits only; anything else is a 404 like an unknown id.
function parseId(value) {
  return /^\d{1,15}$/.test(value) ? Number(value) : null;
}

module.exports = { parsePage, toPage, parseId, BadRequest };
