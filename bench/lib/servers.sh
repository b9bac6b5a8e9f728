# Shell functions bench/run sources: Debian packages, throwaway PostgreSQL and redis-server on free loopback
# ports, free-port and readiness helpers. The same approach as .ci/run (which keeps its own copy on purpose:
# CI's script stays self-contained and unchanged by benchmark work).
# Expects: log/die defined by the caller, and a WORK folder (mode 755) for data, logs and pid files.

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pick_port VAR: sets VAR to a loopback port nothing listens on and no earlier call picked (a process that has
# not bound its port yet would otherwise get a twin). Runs in the caller's shell (not as "$(…)", whose subshell
# would forget the picks). Below the kernel's ephemeral range (32768+), so no client socket holds it.
PICKED_PORTS=" "
pick_port() {
  # Names unlike any caller's variable: a nameref resolves by dynamic scope.
  local -n _picked=$1
  local _candidate
  for _ in $(seq 1 500); do
    _candidate=$((20000 + RANDOM % 12000))
    [[ "$PICKED_PORTS" == *" $_candidate "* ]] && continue
    port_in_use "$_candidate" && continue
    PICKED_PORTS+="$_candidate "
    _picked=$_candidate
    return 0
  done
  die "no free port found"
}

wait_for_port() { # port seconds
  for _ in $(seq 1 $(($2 * 10))); do port_in_use "$1" && return 0; sleep 0.1; done
  return 1
}

# Until URL answers 2xx, or die after SECONDS; PID (optional) must stay alive meanwhile.
wait_for_http() { # url seconds [pid] [name]
  local url=$1 seconds=$2 pid=${3:-} name=${4:-$1}
  for _ in $(seq 1 $((seconds * 5))); do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then die "$name exited during start-up (logs: $WORK/logs)"; fi
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  die "$name did not answer $url within $seconds s (logs: $WORK/logs)"
}

find_pg_bin() {
  # Prefer PostgreSQL 15 (Debian 12's), else the newest installed.
  PG_BIN=""
  if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then PG_BIN=/usr/lib/postgresql/15/bin; return 0; fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [[ -x "$dir/pg_ctl" && -x "$dir/postgres" ]] && PG_BIN="$dir"
  done
  return 0
}

# apt-get install the given Debian packages when any of the given commands is missing.
# Usage: ensure_packages "cmd:package" ...   (cmd "pg" means the PostgreSQL binaries)
ensure_packages() {
  local missing=() spec cmd pkg
  for spec in "$@"; do
    cmd=${spec%%:*} pkg=${spec#*:}
    if [[ "$cmd" == pg ]]; then
      find_pg_bin
      [[ -n "$PG_BIN" ]] || missing+=("$pkg")
    else
      command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]} (apt-get)"
  # Another apt-get (e.g. unattended upgrades) holds the lock: wait for it rather than fail.
  while pgrep -x apt-get >/dev/null 2>&1 || pgrep -x dpkg >/dev/null 2>&1; do sleep 3; done
  # Keep the packages from starting their own system-wide servers (postgresql, redis, nginx): we start
  # throwaway ones on free ports.
  local policy=/usr/sbin/policy-rc.d created=""
  if [[ ! -e "$policy" ]]; then
    created=1
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$WORK/apt.log" 2>&1 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends \
      "${missing[@]}" >>"$WORK/apt.log" 2>&1 || rc=$?
  [[ -n "$created" ]] && rm -f "$policy"
  ((rc == 0)) || { tail -30 "$WORK/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
  find_pg_bin
}

# Throwaway PostgreSQL: sets PG_PORT, PG_DATA, PG_STARTED. Tuned for a benchmark, not durability: the
# figures measure the services, not fsync on a shared disk.
start_postgres() {
  pick_port PG_PORT
  local home="$WORK/postgres"
  PG_DATA="$home/data"
  install -d -o postgres -g postgres -m 700 "$home" "$PG_DATA"
  (cd "$WORK" && runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --no-sync >"$WORK/logs/initdb.log" 2>&1) ||
    { cat "$WORK/logs/initdb.log" >&2; die "initdb failed"; }
  cat >>"$PG_DATA/postgresql.conf" <<CONF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DATA'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 500
shared_buffers = 256MB
CONF
  (cd "$WORK" && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$home/pg.log" -w -t 60 start >/dev/null) ||
    { cat "$home/pg.log" >&2; die "PostgreSQL did not start"; }
  PG_STARTED=1
}

stop_postgres() {
  [[ -n "${PG_STARTED:-}" ]] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 20 stop >/dev/null 2>&1 ||
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  PG_STARTED=""
}

pg_sql() { # database sql
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -v ON_ERROR_STOP=1 -qAt -c "$2"
}

# Throwaway redis-server: sets REDIS_PORT, REDIS_PIDFILE.
start_redis() {
  pick_port REDIS_PORT
  REDIS_PIDFILE="$WORK/redis.pid"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --pidfile "$REDIS_PIDFILE" --logfile "$WORK/logs/redis.log" --dir "$WORK" >/dev/null
  wait_for_port "$REDIS_PORT" 10 || { cat "$WORK/logs/redis.log" >&2; die "redis-server did not start"; }
}

stop_redis() {
  [[ -n "${REDIS_PIDFILE:-}" && -s "$REDIS_PIDFILE" ]] || return 0
  local pid
  pid="$(cat "$REDIS_PIDFILE")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  REDIS_PIDFILE=""
}
