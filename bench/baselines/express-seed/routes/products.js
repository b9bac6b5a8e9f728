// Products: the post's productService, with the product by id read through the Redis cache.
const express = require('express');
const { body, validationResult } = require('express-validator');
const db = require('../db');
const { authenticateToken } = require('../auth');
const cache = require('../cache');
const { parsePage, toPage, parseId } = require('../paging');

const COLUMNS = 'id, name, description, price, stock, created_at AS "createdAt", updated_at AS "updatedAt"';

const router = express.Router();

router.get('/api/products', async (req, res) => {
  const { limit, before } = parsePage(req.query);
  const { rows } = await db.read(`SELECT ${COLUMNS} FROM products WHERE id < $1 ORDER BY id DESC LIMIT $2`, [before, limit + 1]);
  res.json(toPage(rows, limit));
});

router.get('/api/products/:id', async (req, res) => {
  const id = parseId(req.params.id);
  const product = id && (await cache.getOrLoad(`product:${id}`, async () => {
    const { rows } = await db.read(`SELECT ${COLUMNS} FROM products WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }));
  if (!product) return res.status(404).json({ error: 'Not found' });
  res.json(product);
});

// Replace a product (admin), for the benchmark's staleness probe (bench/ScalableApi.Bench/StalenessProbe.cs): the
// invalidation a team adds to the post's cache-aside with its first write route, update the row, then drop the
// cached copy. What a CDN or nginx proxy_cache in front still holds is out of this process's reach.
router.put(
  '/api/products/:id',
  authenticateToken,
  body('name').isString().bail().trim().isLength({ min: 1, max: 200 }),
  body('description').optional().isString().isLength({ max: 5000 }),
  body('price').isFloat({ min: 0 }),
  body('stock').isInt({ min: 0 }),
  async (req, res) => {
    if (req.user.role !== 'admin') return res.status(403).json({ error: 'Admin only' });
    const errors = validationResult(req);
    if (!errors.isEmpty()) return res.status(400).json({ errors: errors.array() });
    const id = parseId(req.params.id);
    const { name, description, price, stock } = req.body;
    const { rows } = id
      ? await db.write(
        `UPDATE products SET name = $2, description = $3, price = $4, stock = $5, updated_at = now() WHERE id = $1
         RETURNING ${COLUMNS}`,
        [id, name, description ?? '', price, stock],
      )
      : { rows: [] };
    if (!rows[0]) return res.status(404).json({ error: 'Not found' });
    await cache.client.del(`product:${id}`);
    res.json(rows[0]);
  },
);

module.exports = { router };
