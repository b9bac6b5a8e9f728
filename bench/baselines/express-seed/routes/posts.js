// Posts and comments: writes need the post's JWT middleware and pass express-validator first.
const express = require('express');
const { body, validationResult } = require('express-validator');
const db = require('../db');
const { authenticateToken } = require('../auth');
const { parseId } = require('../paging');
const { POST_COLUMNS, COMMENT_COLUMNS } = require('./users');

const router = express.Router();

// Text kept exactly as sent (no escape: these are stored, not rendered), but not blank.
const notBlank = (field, max) =>
  body(field).isString().withMessage(`${field} is required`)
    .bail().custom((v) => v.trim().length > 0).withMessage(`${field} is required`)
    .isLength({ max }).withMessage(`${field} must be at most ${max} characters`);

function rejectInvalid(req, res, next) {
  const errors = validationResult(req);
  if (!errors.isEmpty()) {
    return res.status(400).json({ errors: errors.array() });
  }
  next();
}

router.post(
  '/api/posts',
  authenticateToken,
  body('title').isString().withMessage('title is required').bail().trim().isLength({ min: 1, max: 200 }),
  notBlank('body', 20000),
  rejectInvalid,
  async (req, res) => {
    const { rows } = await db.write(
      `INSERT INTO posts (author_id, title, body) VALUES ($1, $2, $3) RETURNING ${POST_COLUMNS}`,
      [req.user.userId, req.body.title, req.body.body],
    );
    res.status(201).location(`/api/posts/${rows[0].id}`).json(rows[0]);
  },
);

router.get('/api/posts/:id', async (req, res) => {
  const id = parseId(req.params.id);
  const { rows } = id ? await db.read(`SELECT ${POST_COLUMNS} FROM posts WHERE id = $1`, [id]) : { rows: [] };
  if (!rows[0]) return res.status(404).json({ error: 'Not found' });
  res.json(rows[0]);
});

router.post('/api/posts/:id/comments', authenticateToken, notBlank('body', 5000), rejectInvalid, async (req, res) => {
  const id = parseId(req.params.id);
  if (!id) return res.status(404).json({ error: 'Not found' });
  // One statement: bump the post's comment count and add the comment, or nothing when the post is gone.
  const { rows } = await db.write(
    `WITH p AS (UPDATE posts SET comment_count = comment_count + 1 WHERE id = $1 RETURNING id)
     INSERT INTO comments (post_id, author_id, body) SELECT id, $2, $3 FROM p RETURNING ${COMMENT_COLUMNS}`,
    [id, req.user.userId, req.body.body],
  );
  if (!rows[0]) return res.status(404).json({ error: 'Not found' });
  res.status(201).location(`/api/posts/${id}/comments/${rows[0].id}`).json(rows[0]);
});

module.exports = { router };
