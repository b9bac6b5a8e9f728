// The seed post's design as one Express process: helmet and its extra headers, prom-client, winston,
// express-rate-limit on /api/, pg pools, Redis cache-aside, JWT, express-validator, health checks.
const express = require('express');
const helmet = require('helmet');
const rateLimit = require('express-rate-limit');
const logger = require('./logger');
const metrics = require('./metrics');
const db = require('./db');
const cache = require('./cache');
const users = require('./routes/users');
const products = require('./routes/products');
const posts = require('./routes/posts');

const app = express();

// "HTTPS and Security Headers": helmet plus the post's own three headers.
app.use(helmet());
app.use((req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-XSS-Protection', '1; mode=block');
  next();
});

app.use(metrics.track);

// One JSON line per request in combined.log: what a production team reads when something goes wrong.
app.use((req, res, next) => {
  const start = process.hrtime.bigint();
  res.on('finish', () => {
    logger.info('request', {
      method: req.method,
      url: req.originalUrl,
      status: res.statusCode,
      durationMs: Number(process.hrtime.bigint() - start) / 1e6,
    });
  });
  next();
});

// "Rate Limiting": 100 requests per IP per 15 minutes on /api/ unless RATE_LIMIT_MAX says otherwise.
const limiter = rateLimit({
  windowMs: 15 * 60 * 1000, // 15 minutes
  max: Number(process.env.RATE_LIMIT_MAX || 100), // Limit each IP to max requests per windowMs
  message: { error: 'Too many requests from this IP, please try again later.' },
});
app.use('/api/', limiter);

app.use(express.json());

async function checkDatabase() {
  try {
    await db.read('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

async function checkRedis() {
  try {
    return (await cache.client.ping()) === 'PONG';
  } catch {
    return false;
  }
}

// "Health Checks": the post's endpoint, 200 when PostgreSQL and Redis answer, else 503.
app.get('/health', async (req, res) => {
  const health = {
    uptime: process.uptime(),
    message: 'OK',
    timestamp: Date.now(),
    checks: {
      database: await checkDatabase(),
      redis: await checkRedis(),
      memory: process.memoryUsage(),
    },
  };
  const isHealthy = health.checks.database && health.checks.redis;
  res.status(isHealthy ? 200 : 503).json(health);
});

app.get('/metrics', metrics.handler);

app.use(users.router);
app.use(products.router);
app.use(posts.router);

app.use((req, res) => {
  res.status(404).json({ error: 'Not found' });
});

// "Error Tracking": the post's error middleware. Client errors (malformed JSON, bad paging) keep their status and
// a short message; anything else is logged with its stack and answered without one.
// eslint-disable-next-line no-unused-vars
app.use((err, req, res, next) => {
  const status = err.status || err.statusCode || 500;
  if (status >= 500) {
    logger.error('API Error', { error: err.message, stack: err.stack, url: req.url, method: req.method, ip: req.ip });
  }
  res.status(status).json({ error: status < 500 && err.expose ? err.message : 'Internal server error' });
});

async function main() {
  await cache.client.connect();
  const port = Number(process.env.PORT || 3000);
  const server = app.listen(port, '127.0.0.1', () => {
    logger.info('listening', { port });
    console.log(`express-seed listening on http://127.0.0.1:${port}`);
  });
  // Node's default keep-alive timeout (5 s) is shorter than nginx's upstream keepalive_timeout (60 s): a
  // connection nginx reuses just as Node closes it fails the request. Keep it above nginx's.
  server.keepAliveTimeout = 65000;
  server.headersTimeout = 66000;

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    logger.warn('stopping', { signal });
    server.close(async () => {
      await Promise.allSettled([db.close(), cache.client.quit()]);
      process.exit(0);
    });
    server.closeIdleConnections?.();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  logger.error('startup failed', { error: err.message, stack: err.stack });
  process.exit(1);
});
