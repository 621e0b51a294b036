#!/usr/bin/env bash
# Node lifecycle (issue 16 point 6) on a simulated three-node cluster (scripts/cluster.sh),
# tunnel mode:
#   1. node-3 leaves (its Node object is deleted) and joins again, ROUNDS times: how long,
#      from the kubectl command, until node-1 has converged - its route via node-3 and the
#      ipcache entries whose tunnel endpoint is node-3 gone, then back (bench/nodes/
#      converged.py, milliseconds). Target: 5000 ms each.
#   2. node-3's agent restarts while a long-lived TCP stream runs from a pod on node-2 to a
#      pod on node-1 (scripts/tcp-stream.py, a message every 10 ms) and new connections
#      between them are opened every 0.2 s: none may break. The stream's longest gap is
#      printed beside its longest gap before the restart (the baseline of the same run).
# Prints the load average beside the figures.
#
#   sudo bench/nodes/run.sh            (ROUNDS=3)
#
# Needs root, bpftool, python3 and the jars built. Everything it creates is removed on exit.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../scripts/lib.sh"
CLUSTER_DIR=${CLUSTER_DIR:-$REPO_ROOT/.cluster-nodes-bench-$$}
source "$REPO_ROOT/scripts/cluster-lib.sh"
require_root "bench/nodes/run.sh"
ROUNDS=${ROUNDS:-3}
CLUSTER_ROUTING=tunnel
cd "$REPO_ROOT"

trap 'trap - EXIT INT TERM; cluster_down' EXIT
trap 'exit 130' INT TERM

load() { cut -d' ' -f1-3 /proc/loadavg; }
now_ns() { date +%s%N; }
# converged PRESENT|ABSENT START_NS: node-1's view of node-3, in ms since START_NS.
converged() {
  "$HERE/converged.py" "$(cluster_ns node-1)" "$(node_bpffs 1)/ipcache" "$(node_ip 3)" "$1" "$2" 60
}

log "cluster: 3 nodes, routing mode tunnel (load $(load))"
cluster_up 3 > "$CLUSTER_DIR.up.log" 2>&1 || { cat "$CLUSTER_DIR.up.log"; rm -f "$CLUSTER_DIR.up.log"; exit 1; }
rm -f "$CLUSTER_DIR.up.log"
converged present "$(now_ns)" > /dev/null || { log "node-1 never saw node-3"; exit 1; }

echo "round  leave: route ipcache converged (ms)         join: route ipcache converged (ms)    load"
for round in $(seq "$ROUNDS"); do
  start=$(now_ns)
  cluster_kubectl delete node node-3 > /dev/null || exit 1
  left=$(converged absent "$start") || { echo "leave did not converge: $left"; exit 1; }
  start=$(now_ns)
  cluster_node_register 3 || exit 1
  joined=$(converged present "$start") || { echo "join did not converge: $joined"; exit 1; }
  printf '%-6s %-40s %-38s %s\n' "$round" "$left" "$joined" "$(load)"
done

# The stream and the probes: c on node-2 serves, a on node-1 receives and connects.
pod_add 1 bench a 'app: a' > /dev/null || exit 1
pod_add 2 bench c 'app: c' > /dev/null || exit 1
ip_c=$POD_IP
cluster_start pod-c stream-server python3 "$REPO_ROOT/scripts/tcp-stream.py" serve 9090
cluster_start pod-c http-server python3 -m http.server 8080 --directory "$CLUSTER_DIR/logs"
wait_for 60 in_ns pod-a curl -s -o /dev/null --max-time 2 "http://$ip_c:8080/" || { log "a does not reach c"; exit 1; }
status=$CLUSTER_DIR/stream
cluster_start pod-a stream-client python3 "$REPO_ROOT/scripts/tcp-stream.py" receive "$ip_c" 9090 "$status"
stream_pid=$(tail -n 1 "$CLUSTER_DIR/resources" | cut -d' ' -f2)
wait_for 30 test -s "$status" || { log "the stream did not start"; exit 1; }
sleep 5
read -r before_count before_gap < "$status"
probe_log=$CLUSTER_DIR/probe.txt
(
  until [ -e "$CLUSTER_DIR/restart-done" ]; do
    if in_ns pod-a curl -s -o /dev/null --max-time 2 "http://$ip_c:8080/"; then echo answered; else echo lost; fi
    sleep 0.2
  done > "$probe_log"
) &
probe=$!
restart_start=$SECONDS
cluster_agent_restart 3 || exit 1
restart_seconds=$((SECONDS - restart_start))
sleep 2
touch "$CLUSTER_DIR/restart-done"
wait "$probe"
read -r after_count after_gap < "$status"
stream_alive=no
kill -0 "$stream_pid" 2> /dev/null && stream_alive=yes
echo "node-3's agent restarted (${restart_seconds}s until it answered) during a node-2 -> node-1 stream:"
echo "  stream alive: $stream_alive, messages $before_count -> $after_count, longest gap ${before_gap}s before" \
  "the restart, ${after_gap}s over the whole run"
echo "  new connections a -> c: $(grep -c answered "$probe_log") answered, $(grep -c lost "$probe_log") lost"
echo "load $(load)"
