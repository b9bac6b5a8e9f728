-- The catalog schema on PostgreSQL. Times are bigint unix milliseconds (UTC) on both engines.
SELECT 1;
