// The post's "Connection Pooling" and "Read Replicas": a pg Pool of 20 with its timeouts, a read pool for
// SELECTs and a write pool for writes, and its query() helper that times every query.
const { Pool, types } = require('pg');
const logger = require('./logger');

// bigint ids and counters come back from pg as strings; every value here fits a JS number.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));
// numeric(12,2) prices: the API shows a JSON number, as our catalog service does.
types.setTypeParser(types.builtins.NUMERIC, (v) => Number(v));

const poolOptions = {
  max: 20, // Maximum connections
  idleTimeoutMillis: 30000,
  connectionTimeoutMillis: 2000,
};

const writePool = new Pool({ connectionString: process.env.DATABASE_URL, ...poolOptions });
// Without a replica the post's two pools would be two pools on the same server: 40 connections a process for
// nothing. Reads then share the write pool, so each process holds at most the post's 20 connections.
const readPool = process.env.DATABASE_READ_URL
  ? new Pool({ connectionString: process.env.DATABASE_READ_URL, ...poolOptions })
  : writePool;

for (const pool of new Set([writePool, readPool])) {
  // An idle client losing its server must not crash the process (pg emits 'error' on the pool).
  pool.on('error', (err) => logger.error('PostgreSQL pool error', { error: err.message }));
}

async function timed(pool, text, params) {
  const start = Date.now();
  const res = await pool.query(text, params);
  const duration = Date.now() - start;
  // The post console.logs every query; in production that is a debug line (dropped at level info).
  logger.debug('Executed query', { text, duration, rows: res.rowCount });
  return res;
}

// Use read replica for SELECT queries
const read = (text, params) => timed(readPool, text, params);
// Use primary for write operations
const write = (text, params) => timed(writePool, text, params);

async function close() {
  await Promise.all([...new Set([writePool, readPool])].map((p) => p.end()));
}

module.exports = { read, write, writePool, readPool, close };
