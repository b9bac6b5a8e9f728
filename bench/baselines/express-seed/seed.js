// Drops and re-creates the schema, then fills it with deterministic data in a few set-based statements
// (generate_series in batches; no round trip per row). Ids are 1..N in insertion order.
// Env: DATABASE_URL, SEED_USERS (10000), SEED_PRODUCTS (10000), SEED_POSTS (50000), SEED_COMMENTS (50000).
const fs = require('fs');
const path = require('path');
const { Client } = require('pg');
const bcrypt = require('bcrypt');

const PASSWORD = 'bench-password-1';
const BATCH = 10000;
const count = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer.`);
  return value;
};

const users = count('SEED_USERS', 10000);
const products = count('SEED_PRODUCTS', 10000);
const posts = count('SEED_POSTS', 50000);
const comments = count('SEED_COMMENTS', 50000);
if (users === 0 && (posts > 0 || comments > 0)) throw new Error('posts and comments need users.');
if (posts === 0 && comments > 0) throw new Error('comments need posts.');

// Every row gets a fixed time: base + i seconds, so runs are identical and "latest" is the highest id.
const BASE = "timestamptz '2026-01-01 00:00:00Z'";

// Each statement fills ids [lo, hi]; $1 = lo, $2 = hi (and $3 = the password hash for users).
const tables = [
  {
    name: 'users',
    total: users,
    sql: `INSERT INTO users (id, email, name, role, password_hash, created_at)
          SELECT i, 'user' || i || '@bench.test', 'User ' || i, 'user', $3, ${BASE} + i * interval '1 second'
          FROM generate_series($1::bigint, $2::bigint) AS i ORDER BY i`,
  },
  {
    name: 'products',
    total: products,
    sql: `INSERT INTO products (id, name, description, price, stock, created_at, updated_at)
          SELECT i, 'Product ' || i,
                 'Description of product ' || i || ': a sturdy, well-made item that does what it says on the box.',
                 ((i * 37) % 10000 + 99) / 100.0, (i * 13) % 500,
                 ${BASE} + i * interval '1 second', ${BASE} + i * interval '1 second'
          FROM generate_series($1::bigint, $2::bigint) AS i ORDER BY i`,
  },
  {
    name: 'posts',
    total: posts,
    sql: `INSERT INTO posts (id, author_id, title, body, comment_count, created_at)
          SELECT i, ((i - 1) % ${users}) + 1, 'Post ' || i,
                 'Body of post ' || i || '. Scaling out means adding processes, not hoping one gets faster.',
                 0, ${BASE} + i * interval '1 second'
          FROM generate_series($1::bigint, $2::bigint) AS i ORDER BY i`,
  },
  {
    name: 'comments',
    total: comments,
    sql: `INSERT INTO comments (id, post_id, author_id, body, created_at)
          SELECT i, ((i - 1) % ${Math.max(posts, 1)}) + 1, ((i * 7) % ${Math.max(users, 1)}) + 1,
                 'Comment ' || i || ' on this post.', ${BASE} + i * interval '1 second'
          FROM generate_series($1::bigint, $2::bigint) AS i ORDER BY i`,
  },
];

async function main() {
  const started = Date.now();
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    console.log('seed: creating schema');
    await client.query(fs.readFileSync(path.join(__dirname, 'db', 'schema.sql'), 'utf8'));

    // bcrypt cost 10 takes ~70 ms: hash once, every seeded user shares it.
    const hash = await bcrypt.hash(PASSWORD, 10);

    for (const table of tables) {
      for (let lo = 1; lo <= table.total; lo += BATCH) {
        const hi = Math.min(lo + BATCH - 1, table.total);
        const params = table.name === 'users' ? [lo, hi, hash] : [lo, hi];
        await client.query(table.sql, params);
        console.log(`seed: ${table.name} ${hi}/${table.total}`);
      }
      // Explicit ids leave the identity behind: new rows continue after the seeded ones.
      await client.query(
        `SELECT setval(pg_get_serial_sequence('${table.name}', 'id'), GREATEST((SELECT max(id) FROM ${table.name}), 1),
                (SELECT count(*) > 0 FROM ${table.name}))`,
      );
    }

    console.log('seed: counting comments per post');
    await client.query(
      `UPDATE posts p SET comment_count = c.n FROM (SELECT post_id, count(*) AS n FROM comments GROUP BY post_id) c
       WHERE p.id = c.post_id`,
    );
    console.log('seed: analyze');
    await client.query('ANALYZE');
    console.log(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(${users} users, ${products} products, ${posts} posts, ${comments} comments)`);
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(`seed failed: ${err.message}`);
  process.exit(1);
});
