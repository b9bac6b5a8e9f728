// The post's "Performance Monitoring": prom-client default metrics plus its request-duration histogram.
const prometheus = require('prom-client');

prometheus.collectDefaultMetrics();

const httpRequestDuration = new prometheus.Histogram({
  name: 'http_request_duration_seconds',
  help: 'Duration of HTTP requests in seconds',
  labelNames: ['method', 'route', 'status'],
});

// Middleware to track requests. The route label is the matched template (routers hold whole paths, so it is
// complete even after an error); the post falls back to req.path, which would make one time series per random
// id on 404s, so unmatched requests share one label.
function track(req, res, next) {
  const start = Date.now();
  res.on('finish', () => {
    const duration = (Date.now() - start) / 1000;
    const route = req.route ? req.route.path : 'unmatched';
    httpRequestDuration.labels(req.method, route, String(res.statusCode)).observe(duration);
  });
  next();
}

async function handler(req, res) {
  res.set('Content-Type', prometheus.register.contentType);
  res.end(await prometheus.register.metrics());
}

module.exports = { track, handler };
