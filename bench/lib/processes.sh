# shellcheck shell=bash
# Background processes of bench/run and bench/chaos: started with their output in $WORK/logs, found by name,
# stopped gently then firmly; nginx from a template. The caller keeps PROC_PIDS=(), PROC_NAMES=() and
# NGINX_PIDFILES=() and stops what is left on exit.

# start_bg NAME CMD...: a background process whose output goes to logs/NAME.log; LAST_PID is its pid.
start_bg() {
  local name=$1
  shift
  "$@" >"$WORK/logs/$name.log" 2>&1 &
  LAST_PID=$!
  PROC_PIDS+=("$LAST_PID")
  PROC_NAMES+=("$name")
}

pid_of() { # name
  local i
  for i in "${!PROC_NAMES[@]}"; do [[ "${PROC_NAMES[$i]}" == "$1" ]] && { echo "${PROC_PIDS[$i]}"; return 0; }; done
  return 1
}

# SIGTERM to each (the services drain for a second, then exit), SIGKILL to whatever is left after 20 s.
stop_pids() {
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 200); do
    local alive=""
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ -z "$alive" ]] && break
    sleep 0.1
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

# Stops one named process started with start_bg and forgets it.
stop_named() {
  local name pid i
  for name in "$@"; do
    for i in "${!PROC_NAMES[@]}"; do
      if [[ "${PROC_NAMES[$i]}" == "$name" ]]; then
        pid=${PROC_PIDS[$i]}
        unset 'PROC_NAMES[i]' 'PROC_PIDS[i]'
        stop_pids "$pid"
      fi
    done
  done
}

# start_nginx TEMPLATE NAME UPSTREAM...: fills the placeholders, starts nginx in the foreground (our child),
# sets LAST_URL. Placeholders: __PORT__, __TMP__, __UPSTREAM__ / __UPSTREAM_1__, __UPSTREAM_2__ (host:port).
start_nginx() {
  local template=$1 name=$2 port dir conf
  shift 2
  pick_port port
  dir="$WORK/nginx/$name"
  conf="$dir/nginx.conf"
  mkdir -p "$dir"
  sed -e "s#__PORT__#$port#g" -e "s#__TMP__#$dir#g" -e "s#__UPSTREAM__#${1:-}#g" \
    -e "s#__UPSTREAM_1__#${1:-}#g" -e "s#__UPSTREAM_2__#${2:-}#g" "$template" >"$conf"
  if grep -qE '__[A-Z0-9_]+__' "$conf"; then
    die "$template has placeholders the script does not fill: $(grep -oE '__[A-Z0-9_]+__' "$conf" | sort -u | tr '\n' ' ')"
  fi
  local extra=""
  grep -qE '^\s*pid\s' "$conf" || extra+="pid $dir/nginx.pid; "
  grep -qE '^\s*daemon\s' "$conf" || extra+="daemon off; "
  grep -qE '^\s*error_log\s' "$conf" || extra+="error_log $dir/error.log; "
  nginx -t -c "$conf" -p "$dir" ${extra:+-g "$extra"} >"$WORK/logs/$name-test.log" 2>&1 ||
    { cat "$WORK/logs/$name-test.log" >&2; die "nginx rejected $conf (from $template)"; }
  local pidfile
  pidfile="$(grep -oE '^\s*pid\s+[^;]+' "$conf" | awk '{print $2}')"
  NGINX_PIDFILES+=("${pidfile:-$dir/nginx.pid}")
  start_bg "$name" nginx -c "$conf" -p "$dir" ${extra:+-g "$extra"}
  LAST_URL="http://127.0.0.1:$port"
  wait_for_port "$port" 20 || die "$name did not listen on $port (logs: $WORK/logs/$name.log, $dir)"
}
