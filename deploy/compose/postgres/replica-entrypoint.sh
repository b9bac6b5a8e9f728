#!/usr/bin/env bash
# The streaming replica. On its first start it clones the primary (pg_basebackup -R writes standby.signal and the
# connection to the primary); from then on it starts as a hot standby that the services read from.
set -euo pipefail
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  export PGPASSWORD="$REPLICATION_PASSWORD"
  until pg_basebackup -h postgres-primary -U replicator -D "$PGDATA" -R -X stream -c fast; do
    echo "primary not ready for a base backup; retrying in 2 s" >&2
    find "$PGDATA" -mindepth 1 -delete
    sleep 2
  done
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
