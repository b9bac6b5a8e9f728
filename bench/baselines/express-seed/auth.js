// The post's "JWT Authentication Example": HS256 with JWT_SECRET, { userId, role }, one hour; its middleware
// answers 401 without a token and 403 for a bad one (as JSON here: errors are JSON everywhere).
const jwt = require('jsonwebtoken');

const EXPIRES_IN_SECONDS = 3600;
const secret = process.env.JWT_SECRET;
if (!secret) {
  throw new Error('JWT_SECRET is required.');
}

function generateToken(user) {
  return jwt.sign({ userId: user.id, role: user.role }, secret, { expiresIn: '1h', algorithm: 'HS256' });
}

function authenticateToken(req, res, next) {
  const authHeader = req.headers['authorization'];
  const token = authHeader && authHeader.split(' ')[1];
  if (!token) {
    return res.status(401).json({ error: 'Authentication required' });
  }
  // Pin the algorithm: jsonwebtoken would otherwise take the token's word for it.
  jwt.verify(token, secret, { algorithms: ['HS256'] }, (err, user) => {
    if (err) return res.status(403).json({ error: 'Invalid or expired token' });
    req.user = user;
    next();
  });
}

module.exports = { generateToken, authenticateToken, EXPIRES_IN_SECONDS };
