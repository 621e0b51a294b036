#!/usr/bin/env bash
# CNI ADD to endpoint ready, as a runtime sees it: the time from exec of our plugin to its
# exit (the agent answers ADD once the endpoint is ready: IP, veth, identity from
# identity-service, eBPF programs attached, maps written), for pods added one after
# another, 20 added at once and 100 added at once. The baseline, measured in the same run on the same
# machine: the reference CNI bridge plugin with host-local IPAM (containernetworking-plugins),
# the shape of flannel's published 69 ms figure. Each pod exists in the dev API server first,
# so its labels are known, as under a kubelet. Where each ADD's time went comes from the
# agent's "ADD to ready" log line (one duration per step), per phase.
#   bench/endpoints/cni-add.sh [SEQUENTIAL_PODS] [CONCURRENT_PODS] [BURST_PODS]   (defaults 100, 20, 100)
# AGENT_JAR=<an agent-service exec jar> runs that agent instead of this checkout's (another
# build's, e.g. main's, for a base/new comparison interleaved in one sequence); the other
# services stay this checkout's.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
if [ -n "${AGENT_JAR:-}" ]; then
  [ -f "$AGENT_JAR" ] || { echo "AGENT_JAR=$AGENT_JAR is not a file" >&2; exit 1; }
  eval "checkout_jar() $(declare -f runnable_jar | tail -n +2)"
  runnable_jar() { if [ "$1" = agent-service ]; then echo "$AGENT_JAR"; else checkout_jar "$1"; fi; }
  log "agent: $AGENT_JAR"
fi
source "$REPO_ROOT/scripts/node.sh"
require_root "bench/endpoints/cni-add.sh"
cd "$REPO_ROOT"

sequential=${1:-100}
concurrent=${2:-20}
burst=${3:-100}
[ -x /usr/lib/cni/bridge ] || { echo "needs the reference CNI plugins: apt-get install containernetworking-plugins" >&2; exit 1; }
[ -n "$(runnable_jar agent-service)" ] || { echo "build first: ./mvnw -B -q -DskipTests package" >&2; exit 1; }

bridge=jcbr$NODE_RUN
baseline_netns=()
cleanup() {
  trap - EXIT INT TERM
  node_down
  for netns in "${baseline_netns[@]}"; do ip netns delete "$netns" 2>/dev/null || true; done
  ip link delete "$bridge" 2>/dev/null || true
  rm -rf "$NODE_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

node_up
ns=bench
kubectl apply -f - > /dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata: {name: $ns}
EOF
total=$((sequential + concurrent + burst))
log "creating $total Pod objects"
for i in $(seq "$total"); do
  printf -- '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p%s, namespace: %s, labels: {app: bench, n: "%s"}}\nspec: {nodeName: %s, containers: [{name: main, image: busybox}]}\n' \
    "$i" "$ns" "$((i % 10))" "$NODE_NAME"
done | kubectl apply -f - > /dev/null

config=$(printf '{"cniVersion":"1.0.0","name":"jcilium","type":"jcilium-cni","agentSocket":"%s"}' "$NODE_DIR/agent.sock")
bridge_config=$(printf '{"cniVersion":"1.0.0","name":"bench-bridge","type":"bridge","bridge":"%s","isGateway":true,"ipMasq":false,"ipam":{"type":"host-local","subnet":"10.215.%d.0/24","dataDir":"%s/host-local"}}' \
  "$bridge" "$((16#${NODE_RUN:2:2}))" "$NODE_DIR")

# add_ours INDEX: one CNI ADD through our plugin; prints its microseconds.
add_ours() {
  local i=$1 netns=jc-$NODE_RUN-p$1 container start end
  container=$NODE_RUN$(printf '%016d' "$i")
  start=$(date +%s%N)
  printf '%s' "$config" | CNI_COMMAND=ADD CNI_CONTAINERID=$container CNI_NETNS=/run/netns/$netns CNI_IFNAME=eth0 \
    CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=$ns;K8S_POD_NAME=p$i" CNI_PATH=/usr/lib/cni \
    agent-service/target/classes/cni/jcilium-cni > "$NODE_DIR/add-$i.json" || { cat "$NODE_DIR/add-$i.json" >&2; return 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}

# add_bridge INDEX: one CNI ADD through the reference bridge plugin; prints its microseconds.
add_bridge() {
  local netns=jcb-$NODE_RUN-$1 start end
  start=$(date +%s%N)
  printf '%s' "$bridge_config" | CNI_COMMAND=ADD CNI_CONTAINERID=b$NODE_RUN$1 CNI_NETNS=/run/netns/$netns \
    CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge > /dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}

register_pod() { # INDEX
  ip netns add "jc-$NODE_RUN-p$1"
  node_netns+=("jc-$NODE_RUN-p$1")
  node_containers+=("$NODE_RUN$(printf '%016d' "$1")")
}

# del_ours INDEX: CNI DEL of one pod through our plugin.
del_ours() {
  printf '%s' "$config" | CNI_COMMAND=DEL CNI_CONTAINERID=$NODE_RUN$(printf '%016d' "$1") \
    CNI_NETNS=/run/netns/jc-$NODE_RUN-p$1 CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni \
    CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=$ns;K8S_POD_NAME=p$1" agent-service/target/classes/cni/jcilium-cni > /dev/null
}

# Warm-up outside the figures: the agent's first regenerations JIT-compile its paths. On a
# loaded machine identity-service may not answer the first calls in time; the ADD then fails
# with code 11 (try again later) and, as a runtime does, DEL and ADD again.
log "warm-up"
for i in 1 2 3; do
  register_pod "$i"
  for attempt in 1 2 3 4 5 6; do
    add_ours "$i" > /dev/null 2>&1 && break
    [ "$attempt" -lt 6 ] && [ "$(jq -r '.code // empty' "$NODE_DIR/add-$i.json")" = 11 ] \
      || { cat "$NODE_DIR/add-$i.json" >&2; exit 1; }
    del_ours "$i"
    sleep 2
  done
done

sequential_from=$(wc -l < "$NODE_DIR/logs/agent-service.log")
log "$((sequential - 3)) pods one after another, interleaved with the bridge plugin"
: > "$NODE_DIR/ours.txt"
: > "$NODE_DIR/bridge.txt"
for i in $(seq 4 "$sequential"); do
  register_pod "$i"
  add_ours "$i" >> "$NODE_DIR/ours.txt"
  ip netns add "jcb-$NODE_RUN-$i"
  baseline_netns+=("jcb-$NODE_RUN-$i")
  add_bridge "$i" >> "$NODE_DIR/bridge.txt"
done

agent_log=$NODE_DIR/logs/agent-service.log
# phase_steps NAME FROM_LINE: the agent's "ADD to ready" lines since FROM_LINE, for NAME.
phase_steps() {
  tail -n +"$(($2 + 1))" "$agent_log" | sed -n 's/.*ADD to ready [0-9]* ms: //p' > "$NODE_DIR/steps-$1.txt"
}
log_lines() { wc -l < "$agent_log"; }

# at_once NAME FIRST COUNT: COUNT ADDs started together; their microseconds in NAME.txt,
# the index and CNI error of each failed one in NAME-failed.txt (printed at the end).
at_once() {
  local name=$1 first=$2 count=$3 i adds=()
  : > "$NODE_DIR/$name.txt"
  : > "$NODE_DIR/$name-failed.txt"
  for i in $(seq "$first" $((first + count - 1))); do register_pod "$i"; done
  for i in $(seq "$first" $((first + count - 1))); do
    { add_ours "$i" >> "$NODE_DIR/$name.txt" 2> /dev/null \
      || echo "$i $(jq -c '{code, msg, details}' "$NODE_DIR/add-$i.json" 2> /dev/null | cut -c1-300)" \
      >> "$NODE_DIR/$name-failed.txt"; } &
    adds+=($!)
  done
  wait "${adds[@]}" # not a bare wait: the node's services are children of this shell too
}

phase_steps sequential "$sequential_from"
from=$(log_lines)
log "$concurrent pods at once"
at_once concurrent $((sequential + 1)) "$concurrent"
phase_steps concurrent "$from"
from=$(log_lines)
log "$burst pods at once"
at_once burst $((sequential + concurrent + 1)) "$burst"
phase_steps burst "$from"

not_ready=$(curl -s --unix-socket "$NODE_DIR/agent.sock" http://localhost/v1/endpoint \
  | jq '[.[] | select(.state != "ready")] | length')

python3 - "$NODE_DIR" "$not_ready" "$concurrent" "$burst" <<'EOF'
import sys
d, not_ready, concurrent, burst = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def load(name):
    return sorted(int(x) / 1000 for x in open(f"{d}/{name}.txt") if x.strip())
def failed(name):
    return sum(1 for x in open(f"{d}/{name}-failed.txt") if x.strip())
def pct(v, p):
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")
ours, bridge, conc, many = load("ours"), load("bridge"), load("concurrent"), load("burst")
print(f"endpoints not ready after the run: {not_ready}")
print(f"{'':28}{'n':>5}{'failed':>8}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
for label, v, lost in (("jcilium sequential", ours, 0), ("bridge plugin sequential", bridge, 0),
                       (f"jcilium {concurrent} at once", conc, failed("concurrent")),
                       (f"jcilium {burst} at once", many, failed("burst"))):
    top = v[-1] if v else float("nan")
    print(f"{label:28}{len(v):>5}{lost:>8}{pct(v, 50):>10.1f}{pct(v, 99):>10.1f}{top:>10.1f}")
print(f"ratio p50 jcilium/bridge: {pct(ours, 50) / pct(bridge, 50):.2f}")
print(f"issue 20: sequential p50 < 100 ms and p99 < 200 ms -> "
      f"{'met' if pct(ours, 50) < 100 and pct(ours, 99) < 200 else 'MISSED'}; "
      f"{concurrent} at once p99 < 500 ms -> {'met' if conc and pct(conc, 99) < 500 else 'MISSED'}; "
      f"{burst} at once all ready -> {'met' if failed('burst') == 0 and len(many) == int(burst) else 'MISSED'}")
for phase in ("concurrent", "burst"):
    errors = {}
    for line in open(f"{d}/{phase}-failed.txt"):
        _, _, error = line.strip().partition(" ")
        errors[error[:160]] = errors.get(error[:160], 0) + 1
    for error, count in errors.items():
        print(f"failed ADDs, {phase}: {count} x {error or 'no CNI error printed'}")
# Where the time went, from the agent's log: per step of an ADD, p50 / p99 / max in ms.
for phase in ("sequential", "concurrent", "burst"):
    steps = {}
    for line in open(f"{d}/steps-{phase}.txt"):
        for part in line.strip().split(", "):
            name, _, ms = part.rpartition(" ")
            if name and ms.isdigit():
                steps.setdefault(name, []).append(int(ms))
    if steps:
        print(f"steps, {phase} (ms; n counts a step run twice twice):{'n':>5}{'p50':>8}{'p99':>8}{'max':>8}")
        for name, v in steps.items():
            v.sort()
            print(f"  {name:50}{len(v):>5}{pct(v, 50):>8}{pct(v, 99):>8}{v[-1]:>8}")
EOF
