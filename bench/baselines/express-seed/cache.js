// The post's "Redis Implementation Example": node-redis v4, cache-aside with a one-hour TTL.
const redis = require('redis');
const logger = require('./logger');

const TTL_SECONDS = 3600; // Store in cache for 1 hour

const client = redis.createClient({ url: process.env.REDIS_URL || 'redis://127.0.0.1:6379' });
client.on('error', (err) => logger.error('Redis client error', { error: err.message }));

// Try the cache, else load from the database and store it. A miss (null) is not cached: the post's code would
// store "undefined", and a 404 must not hide a row created a moment later.
async function getOrLoad(key, load) {
  const cached = await client.get(key);
  if (cached) {
    return JSON.parse(cached);
  }
  const value = await load();
  if (value != null) {
    await client.setEx(key, TTL_SECONDS, JSON.stringify(value));
  }
  return value;
}

module.exports = { client, getOrLoad, TTL_SECONDS };
