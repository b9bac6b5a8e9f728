// The post's "Error Tracking": winston, JSON, error.log for errors and combined.log for everything at info,
// under LOG_DIR; plus the console at warn so an operator running it by hand sees problems.
const path = require('path');
const fs = require('fs');
const winston = require('winston');

const logDir = process.env.LOG_DIR || path.join(__dirname, 'logs');
fs.mkdirSync(logDir, { recursive: true });

const logger = winston.createLogger({
  level: process.env.LOG_LEVEL || 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  defaultMeta: { pid: process.pid },
  transports: [
    new winston.transports.File({ filename: path.join(logDir, 'error.log'), level: 'error' }),
    new winston.transports.File({ filename: path.join(logDir, 'combined.log') }),
    new winston.transports.Console({ level: 'warn' }),
  ],
});

module.exports = logger;
