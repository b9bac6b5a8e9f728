-- The catalog schema on SQLite. Times are INTEGER unix milliseconds (UTC) on both engines.
SELECT 1;
