#!/usr/bin/env bash
# Runs once, on the primary's first start (docker-entrypoint-initdb.d): one database per service and the role the
# standby streams from. The services create their tables themselves (migrations at start-up).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v replication_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'replication_password';
CREATE DATABASE scalableapi_users;
CREATE DATABASE scalableapi_catalog;
CREATE DATABASE scalableapi_content;
SQL
# "all" in pg_hba.conf does not cover replication connections: allow the standby's, with a password.
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
