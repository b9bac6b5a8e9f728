// Users: register, login, public profile and the overview (the post's userService and its examples of
// getCachedUser, express-validator, bcrypt-style hashing and fetchUserData with Promise.all).
const express = require('express');
const bcrypt = require('bcrypt');
const { body, validationResult } = require('express-validator');
const db = require('../db');
const cache = require('../cache');
const { generateToken, EXPIRES_IN_SECONDS } = require('../auth');
const { parsePage, toPage, parseId } = require('../paging');

const BCRYPT_COST = 10;
// Unknown e-mails still pay for one comparison, so the response time does not tell which addresses exist.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', BCRYPT_COST);

const POST_COLUMNS = 'id, author_id AS "authorId", title, body, created_at AS "createdAt", comment_count AS "commentCount"';
const COMMENT_COLUMNS = 'id, post_id AS "postId", author_id AS "authorId", body, created_at AS "createdAt"';
const LATEST = 10;

const router = express.Router();

// The post's getCachedUser: the public user, cache-aside for an hour.
function getCachedUser(userId) {
  return cache.getOrLoad(`user:${userId}`, async () => {
    const { rows } = await db.read('SELECT id, name, created_at AS "createdAt" FROM users WHERE id = $1', [userId]);
    return rows[0] ?? null;
  });
}

router.post(
  '/api/auth/register',
  // The post's validation chain (name is escaped as the post does), plus the password the post leaves out.
  body('email').isEmail().normalizeEmail(),
  body('name').trim().escape().isLength({ min: 1, max: 100 }),
  body('age').optional({ values: 'null' }).isInt({ min: 0, max: 150 }),
  body('password').isString().isLength({ min: 8, max: 128 }),
  async (req, res) => {
    const errors = validationResult(req);
    if (!errors.isEmpty()) {
      return res.status(400).json({ errors: errors.array() });
    }
    const { email, name, age, password } = req.body;
    const hash = await bcrypt.hash(password, BCRYPT_COST);
    try {
      const { rows } = await db.write(
        `INSERT INTO users (email, name, age, password_hash) VALUES ($1, $2, $3, $4)
         RETURNING id, email, name, age, role, created_at AS "createdAt"`,
        [email, name, age == null ? null : Number(age), hash],
      );
      res.status(201).location(`/api/users/${rows[0].id}`).json(rows[0]);
    } catch (err) {
      if (err.code === '23505') {
        return res.status(409).json({ error: 'Email is already registered' });
      }
      throw err;
    }
  },
);

router.post('/api/auth/login', body('email').isString(), body('password').isString(), async (req, res) => {
  if (!validationResult(req).isEmpty()) {
    return res.status(400).json({ error: 'email and password are required' });
  }
  const { email, password } = req.body;
  const { rows } = await db.read('SELECT id, role, password_hash FROM users WHERE email = $1', [email.trim().toLowerCase()]);
  const user = rows[0];
  const ok = await bcrypt.compare(password, user ? user.password_hash : DUMMY_HASH);
  if (!user || !ok) {
    return res.status(401).json({ error: 'Invalid email or password' });
  }
  res.json({ accessToken: generateToken(user), tokenType: 'Bearer', expiresIn: EXPIRES_IN_SECONDS });
});

router.get('/api/users/:id', async (req, res) => {
  const id = parseId(req.params.id);
  const user = id && (await getCachedUser(id));
  if (!user) return res.status(404).json({ error: 'Not found' });
  res.json(user);
});

// The post's fetchUserData: user, posts and comments in parallel ("Good: Parallel execution").
router.get('/api/users/:id/overview', async (req, res) => {
  const id = parseId(req.params.id);
  if (!id) return res.status(404).json({ error: 'Not found' });
  const [user, posts, comments] = await Promise.all([
    getCachedUser(id),
    db.read(`SELECT ${POST_COLUMNS} FROM posts WHERE author_id = $1 ORDER BY id DESC LIMIT ${LATEST}`, [id]),
    db.read(`SELECT ${COMMENT_COLUMNS} FROM comments WHERE author_id = $1 ORDER BY id DESC LIMIT ${LATEST}`, [id]),
  ]);
  if (!user) return res.status(404).json({ error: 'Not found' });
  res.json({ user, posts: posts.rows, comments: comments.rows });
});

router.get('/api/users/:id/posts', async (req, res) => {
  const id = parseId(req.params.id);
  if (!id) return res.status(404).json({ error: 'Not found' });
  const { limit, before } = parsePage(req.query);
  const { rows } = await db.read(
    `SELECT ${POST_COLUMNS} FROM posts WHERE author_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`,
    [id, before, limit + 1],
  );
  res.json(toPage(rows, limit));
});

module.exports = { router, POST_COLUMNS, COMMENT_COLUMNS };
