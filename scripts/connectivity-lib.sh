# Shared by scripts/connectivity-matrix.sh and scripts/connectivity-test.sh (sourced after
# lib.sh and cluster-lib.sh): a cluster of the script's own, echo servers in pods, and probes
# with real packets (scripts/connectivity-probe.py, run by Debian's python3: the plan step
# needs its python3-yaml).

CONN_PROBE=(/usr/bin/python3 "$REPO_ROOT/scripts/connectivity-probe.py")
# How long a probe waits for its answer before it counts as denied. TCP resends its SYN after
# 1 s, UDP, SCTP and ICMP probes resend every 0.5 s: one lost packet does not make a denial.
CONN_PROBE_SECONDS=${CONN_PROBE_SECONDS:-3}

# conn_cluster_up NODES LOG: this script's own cluster in $CLUSTER_DIR (its output in LOG),
# and routes from the outside namespace to every pod CIDR. When it does not come up, the
# services' logs are kept in target/connectivity-cluster-logs (down removes $CLUSTER_DIR).
conn_cluster_up() {
  if ! cluster_up "$1" > "$2" 2>&1; then
    cat "$2" >&2
    rm -rf "$REPO_ROOT/target/connectivity-cluster-logs"
    mkdir -p "$REPO_ROOT/target"
    cp -r "$CLUSTER_DIR/logs" "$REPO_ROOT/target/connectivity-cluster-logs" \
      && echo "the services' logs are in target/connectivity-cluster-logs" >&2
    return 1
  fi
  cluster_outside_routes
}

# conn_serve PART PORT/PROTO...: the echo server of a pod (or the outside); waits until it
# listens.
conn_serve() {
  local part=$1
  shift
  cluster_start "$part" "serve-$part" "${CONN_PROBE[@]}" serve "$@"
  wait_for 30 grep -q '^serving' "$CLUSTER_DIR/logs/serve-$part.log" \
    || { log "the echo server in $part did not start; see $CLUSTER_DIR/logs/serve-$part.log"; return 1; }
}

# conn_probe PART KEY=IP:PORT/PROTO[@SOURCE]...: one new connection per KEY from PART, all at
# once; prints "KEY allowed|denied|error: WHY".
conn_probe() {
  local part=$1
  shift
  in_ns "$part" "${CONN_PROBE[@]}" probe "$CONN_PROBE_SECONDS" "$@"
}

# conn_probe_all DIR: runs every DIR/targets-PART file (one KEY=IP:PORT/PROTO per line) from
# its PART at the same time, and writes DIR/results-PART.
conn_probe_all() {
  local dir=$1 file part pids=()
  for file in "$dir"/targets-*; do
    [ -e "$file" ] || continue
    part=${file##*/targets-}
    # shellcheck disable=SC2046 # one argument per line of the file
    conn_probe "$part" $(cat "$file") > "$dir/results-$part" 2>&1 &
    pids+=($!)
  done
  local status=0 pid
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  return $status
}
