// Products: the post's productService, with the product by id read through the Redis cache.
const express = require('express');
const db = require('../db');
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

module.exports = { router };
