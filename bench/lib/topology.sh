# shellcheck shell=bash
# Our topology as plain processes, for bench/run and bench/chaos: each process gets the topology contract
# (src/ScalableApi.Topology) from `ScalableApi.Bench env`. The caller sets BIN, WORK, GATEWAY, REDIS_PORT,
# PG_PORT (or PG_SERVER: a server connection string, one host or several) and bench_tool.

# topology_env PROCESS: the contract's KEY=VALUE lines for one process into TOPOLOGY_ENV. Redis database 0
# (discovery, caches, rate-limit counters of ours; the Express baseline uses database 1), one PostgreSQL database
# per service, and every gateway's rate limits raised out of the way (every wrk connection is one loopback IP).
topology_env() {
  mapfile -t TOPOLOGY_ENV < <(bench_tool env --process "$1" --gateway "$GATEWAY" --data "$WORK/data" \
    --redis "127.0.0.1:$REDIS_PORT" --postgres "${PG_SERVER:-Host=127.0.0.1;Port=$PG_PORT;Username=postgres}" --raised-rate-limits true)
  ((${#TOPOLOGY_ENV[@]} > 0)) || die "ScalableApi.Bench env printed nothing for $1"
}

# launch_service SERVICE NAME [CGROUP]: one replica, registered for discovery; sets LAST_URL.
launch_service() {
  local service=$1 name=$2 group=${3:-} port project
  pick_port port
  project="ScalableApi.${service^}"
  LAST_URL="http://127.0.0.1:$port"
  # The working folder is the build output: the content root, where appsettings.json is.
  topology_env "$service"
  # bench/run --dashboard registers this address as the dashboard's admin.
  [[ "$service" == users && -n "${BENCH_ADMIN_EMAIL:-}" ]] && TOPOLOGY_ENV+=("Users__AdminEmails__0=$BENCH_ADMIN_EMAIL")
  local cmd=(env -C "$BIN/$project" "${TOPOLOGY_ENV[@]}" dotnet "$BIN/$project/$project.dll" --urls "$LAST_URL")
  if [[ -n "$group" ]]; then
    # Joins the CPU group before exec: the runtime starts inside the quota and sees one processor.
    start_bg "$name" sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$group" "${cmd[@]}"
  else
    start_bg "$name" "${cmd[@]}"
  fi
  declare -g "URL_${name//-/_}=$LAST_URL"
}

# Until the gateway routes to each named replica of CLUSTER: a healthy destination whose id (registered as
# {machine}-{pid}-{random}) carries the replica's pid. (A destination that left keeps its last gauge value in the
# gateway's /metrics, so counting healthy series is not enough.)
wait_routed() { # cluster "name..." seconds
  local metrics name pid missing
  for _ in $(seq 1 $(($3 * 5))); do
    metrics="$(curl -fsS --max-time 2 "$GATEWAY/metrics" 2>/dev/null | grep "^gateway_upstream_healthy{" | grep "cluster=\"$1\"" || true)"
    missing=""
    for name in $2; do
      pid="$(pid_of "$name")" || die "no process $name"
      grep -qE "destination=\"[^\"]*-$pid-[^\"]{6}\".* 1\$" <<<"$metrics" || missing+=" $name"
    done
    [[ -z "$missing" ]] && return 0
    sleep 0.2
  done
  die "the gateway did not route to$missing within $3 s (logs: $WORK/logs)"
}
