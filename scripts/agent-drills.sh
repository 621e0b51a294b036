#!/usr/bin/env bash
# The drills that need agents, real pods and real flows (issue 17 point 7), one after the
# other on one simulated two-node cluster (scripts/cluster.sh): identity-service killed,
# ipam-service restarted during pod churn, operator leader killed, an agent partitioned.
# Run by scripts/drills.sh, which prints the table; each drill writes
# target/drills/<drill>.tsv: drill, refused, duplicate, lost, converge (ms), leaked, broken,
# failed. Every wait is bounded (DRILL_BOUND_SECONDS, default 180 s). DRILLS_ONLY (drill names,
# space-separated, e.g. DRILLS_ONLY=agent-partitioned) runs only those drills on the cluster.
#   scripts/agent-drills.sh          the short form (partition 20 s; identity leases of 15 s
#                                    and a GC every 5 s, so the partition outlives a lease)
#   scripts/agent-drills.sh --full   the partition lasts 2 minutes, identity-service and the
#                                    agents keep their default lease (60 s) and GC (60 s)
# While each drill lasts: 4 long-lived TCP streams between pods of both nodes
# (scripts/tcp-stream.py, a policy admits them by identity) must go on, in order; pods are
# added and deleted on node-1 through its CNI plugin (a runtime's retries until
# DRILL_POD_SECONDS, default 90 s). Afterwards the cluster's state is checked: CiliumEndpoints,
# identity-service's and ipam-service's Redis, the agents' endpoints, IP allocations and veths.
# Needs root and the jars built (./mvnw -B -DskipTests package).
set -uo pipefail
export LC_ALL=C
source "$(dirname "$0")/lib.sh"
CLUSTER_DIR=${CLUSTER_DIR:-$REPO_ROOT/.drills-$$}
source "$(dirname "$0")/cluster-lib.sh"
require_root "scripts/agent-drills.sh"
cd "$REPO_ROOT"

mode=short
case ${1:-} in
  --full) mode=full ;;
  '') ;;
  *) echo "scripts/agent-drills.sh takes only --full; got '$*'" >&2; exit 2 ;;
esac
BOUND=${DRILL_BOUND_SECONDS:-180}
POD_SECONDS=${DRILL_POD_SECONDS:-90}
if [ $mode = short ]; then
  PARTITION_SECONDS=20
  CLUSTER_IDENTITY_ARGS="--jcilium.identity.allocation.lease-ttl=15s --jcilium.identity.allocation.gc-interval=5s"
  CLUSTER_AGENT_ARGS="--jcilium.agent.identity.heartbeat-interval=5s"
else
  PARTITION_SECONDS=120
fi
OUT=$REPO_ROOT/target/drills
mkdir -p "$OUT"
LOG=$OUT/agent-drills.log
ID='{jcilium:identity}:'
IPAM='jcilium:ipam:{cluster-pool:ipv4}:'
STREAM_PORT=7000
churn=

finish() {
  local status=$?
  trap - EXIT INT TERM
  [ -z "$churn" ] || { touch "$CLUSTER_DIR/churn-stop"; wait "$churn"; }
  [ -z "${DRILL_LOGS:-}" ] || [ ! -d "$CLUSTER_DIR/logs" ] || cp -r "$CLUSTER_DIR/logs" "$DRILL_LOGS"
  cluster_down >> "$LOG" 2>&1
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

# say: to stderr and the log (a check's count is its stdout); nothing when QUIET is set (a
# check retried until it holds).
say() { [ -n "${QUIET:-}" ] || log "$*" | tee -a "$LOG" >&2; }
abort() { say "ABORT: $*"; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
redis() { in_ns cp redis-cli --raw "$@"; }
api() { cluster_kubectl "$@"; }
agent_api() { curl -s --max-time 10 --unix-socket "$CLUSTER_DIR/node-$1/agent.sock" "http://agent$2"; }
healthy() { in_ns "$1" curl -sf -o /dev/null --max-time 3 "http://127.0.0.1:$2/actuator/health"; }

# service_pid PATTERN: the live process of this cluster whose command line holds PATTERN.
service_pid() {
  local kind pid
  while read -r kind pid; do
    [ "$kind" = pid ] && kill -0 "$pid" 2> /dev/null || continue
    tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null | grep -qF -- "$1" && echo "$pid"
  done < "$CLUSTER_DIR/resources" | tail -n 1
}

# --- pods --------------------------------------------------------------------------------
# pod_object NODE NAME LABELS: the Pod object in namespace drill.
pod_object() {
  api apply -f - > /dev/null << EOF
apiVersion: v1
kind: Pod
metadata: {name: $2, namespace: drill, labels: {$3}}
spec:
  nodeName: node-$1
  containers: [{name: main, image: busybox}]
EOF
}

# churn_pod NODE NAME LABELS: a pod added through the CNI plugin, retried as a runtime
# retries (refusals counted in CHURN_LOG, default churn.log) until it starts or POD_SECONDS
# pass, then deleted (CNI DEL, namespace, Pod object). Writes "started NAME IP" or "failed
# NAME" to CHURN_LOG; succeeds when it started.
churn_pod() {
  local node=$1 name=$2 labels=$3 container deadline result ip= churn_log=${CHURN_LOG:-$CLUSTER_DIR/churn.log}
  container=$CLUSTER_RUN$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
  result=$CLUSTER_DIR/cni-$name.json
  deadline=$((SECONDS + POD_SECONDS))
  until pod_object "$node" "$name" "$labels"; do
    [ $SECONDS -lt $deadline ] || break
    sleep 1
  done
  cluster_netns_add "pod-$name" > /dev/null 2>&1
  while [ $SECONDS -lt $deadline ]; do
    if cni_exec "$node" ADD drill "$name" "$container" > "$result" 2>&1; then
      ip=$(jq -r '.ips[0].address' "$result" | cut -d/ -f1)
      break
    fi
    echo "refused $name $(tr '\n' ' ' < "$result" | cut -c1-200)" >> "$churn_log"
    cni_exec "$node" DEL drill "$name" "$container" > /dev/null 2>&1
    sleep 1
  done
  if [ -n "$ip" ]; then
    echo "started $name $ip" >> "$churn_log"
  else
    echo "failed $name" >> "$churn_log"
  fi
  for _ in 1 2 3 4 5 6; do
    cni_exec "$node" DEL drill "$name" "$container" > /dev/null 2>&1 && break
    sleep 1
  done
  ip netns delete "$(cluster_ns "pod-$name")" 2> /dev/null
  api delete pod -n drill "$name" --wait=false > /dev/null 2>&1
  [ -n "$ip" ]
}

# churn_start NODE DRILL: pods added and deleted on node-NODE one after the other until
# churn_stop, cycling through three label sets of the drill's own (new identities).
churn_start() {
  rm -f "$CLUSTER_DIR/churn-stop"
  : > "$CLUSTER_DIR/churn.log"
  (
    i=0
    until [ -e "$CLUSTER_DIR/churn-stop" ]; do
      i=$((i + 1))
      churn_pod "$1" "churn-$2-$i" "app: churn-$2-$((i % 3))"
    done
  ) > /dev/null 2>&1 &
  churn=$!
}
churn_stop() {
  touch "$CLUSTER_DIR/churn-stop"
  wait "$churn"
  churn=
}

# fresh_pod NODE NAME: whether a pod with labels no pod had before starts on node-NODE (and
# is deleted again): what converged means for a node. Its attempts are no churn pods (a
# failed one means not converged yet): logged to fresh.log.
fresh_pod() {
  CHURN_LOG=$CLUSTER_DIR/fresh.log POD_SECONDS=20 churn_pod "$1" "$2-$(date +%s%N | cut -c9-13)" "app: $2-$RANDOM$RANDOM" 2> /dev/null
}

# --- streams ------------------------------------------------------------------------------
# Two stream pods per node; flow F (1-4) runs from stream pod F to the server in the stream
# pod on the other node; its receiver's pid in flow-F.pid, its count in flow-F.
STREAM_NODE=(x 1 1 2 2)
stream_peer() { case $1 in 1) echo 3 ;; 2) echo 4 ;; 3) echo 1 ;; 4) echo 2 ;; esac; }
flow_count() { cut -d' ' -f1 "$CLUSTER_DIR/flow-$1" 2> /dev/null || echo 0; }
flow_start() {
  local f=$1 peer
  peer=$(stream_peer "$f")
  rm -f "$CLUSTER_DIR/flow-$f"
  cluster_start "pod-stream-$f" "flow-$f" /usr/bin/python3 "$REPO_ROOT/scripts/tcp-stream.py" receive \
    "${STREAM_IP[$peer]}" "$STREAM_PORT" "$CLUSTER_DIR/flow-$f"
  tail -n 1 "$CLUSTER_DIR/resources" | cut -d' ' -f2 > "$CLUSTER_DIR/flow-$f.pid"
}
flow_alive() { kill -0 "$(cat "$CLUSTER_DIR/flow-$1.pid")" 2> /dev/null; }
flow_advances() { # F COUNT: whether flow F is alive and past COUNT messages
  flow_alive "$1" && [ "$(flow_count "$1")" -gt "$2" ]
}
# flows_broken: how many flows ended or stopped advancing (for 30 s); those are started again.
flows_broken() {
  local f broken=0 before
  for f in 1 2 3 4; do
    before=$(flow_count "$f")
    if ! wait_for 30 flow_advances "$f" "$before"; then
      broken=$((broken + 1))
      say "flow $f (stream-$f -> stream-$(stream_peer "$f")) broke: $(tail -n 2 "$CLUSTER_DIR/logs/flow-$f.log" | tr '\n' ' ')"
      local pid
      pid=$(cat "$CLUSTER_DIR/flow-$f.pid")
      ! cluster_owns "$pid" || stop_processes "$pid"
      flow_start "$f"
      wait_for 60 flow_advances "$f" 0 || say "flow $f does not start again"
    fi
  done
  echo "$broken"
}

# --- state checks ---------------------------------------------------------------------------
live_pods() { printf 'stream-%s\n' 1 2 3 4; } # the only pods that live through every drill

# check_duplicates: prints the number of identities and IPs given twice: label sets with two
# numbers or numbers with two label sets (identity-service's store, the CiliumEndpoints, and
# a CiliumEndpoint's number against the store), addresses of two endpoints, overlapping pod
# CIDRs, and churn pods that got the address of a live pod.
check_duplicates() {
  local ceps store n=0 c
  ceps=$(api get ciliumendpoints -n drill -o json \
    | jq -r '.items[] | [.metadata.name, (.status.identity.id | tostring), (.status.identity.labels | sort | join(";")), .status.networking.addressing[0].ipv4] | @tsv')
  store=$(redis hgetall "${ID}by-id" | paste - -)
  c=$(echo "$store" | cut -f2 | grep . | sort | uniq -d | wc -l); n=$((n + c))
  [ "$c" -eq 0 ] || say "store: $c label sets with two numbers"
  c=$(echo "$ceps" | awk -F'\t' 'NF {print $2 "\t" $3}' | sort -u | cut -f1 | uniq -d | wc -l); n=$((n + c))
  [ "$c" -eq 0 ] || say "CiliumEndpoints: $c numbers with two label sets"
  c=$(echo "$ceps" | awk -F'\t' 'NF {print $2 "\t" $3}' | sort -u | cut -f2 | sort | uniq -d | wc -l); n=$((n + c))
  [ "$c" -eq 0 ] || say "CiliumEndpoints: $c label sets with two numbers"
  c=$(join -t$'\t' <(echo "$ceps" | awk -F'\t' 'NF {print $2 "\t" $3}' | sort -u) <(echo "$store" | sort) \
    | awk -F'\t' '$2 != $3' | wc -l); n=$((n + c))
  [ "$c" -eq 0 ] || say "$c CiliumEndpoint numbers that the store gives other labels"
  c=$(echo "$ceps" | cut -f4 | grep . | sort | uniq -d | wc -l); n=$((n + c))
  [ "$c" -eq 0 ] || say "$c addresses held by two CiliumEndpoints"
  c=$(api get ciliumnodes -o jsonpath='{range .items[*]}{.spec.ipam.podCIDRs[0]}{"\n"}{end}' | grep . | sort | uniq -d | wc -l)
  n=$((n + c))
  [ "$c" -eq 0 ] || say "$c pod CIDRs given to two nodes"
  c=$(awk '$1 == "started" {print $3}' "$CLUSTER_DIR/churn.log" | grep -cxF -f <(printf '%s\n' "${STREAM_IP[@]:1}"))
  n=$((n + c))
  [ "$c" -eq 0 ] || say "$c churn pods got the address of a live pod"
  echo "$n"
}

# check_lost: endpoints whose number their node no longer holds in identity-service (no
# reference, or a lapsed lease): a GC may hand those numbers to other labels.
check_lost() {
  local node n=0 ids held deadline now
  now=$(redis time | head -n 1)000
  for node in 1 2; do
    ids=$(agent_api "$node" /v1/endpoint | jq -r '.[].identity' | sort -u)
    held=$(redis smembers "${ID}node:node-$node")
    for id in $ids; do
      grep -qx "$id" <<< "$held" || { n=$((n + 1)); say "node-$node holds no reference to $id, its endpoints' identity"; }
    done
    deadline=$(redis zscore "${ID}leases" "node-$node")
    if [ -z "$deadline" ] || [ "${deadline%.*}" -lt "$now" ]; then
      n=$((n + 1))
      say "node-$node has no live lease in identity-service"
    fi
  done
  echo "$n"
}

# leaks: what outlives the pods that had it once the drill is over: endpoints, veths, IP
# allocations and CiliumEndpoints of no live pod, pod namespaces, references of a node to
# numbers none of its endpoints carries, numbers nobody refers to that no GC will free, pod
# CIDRs of no node.
leaks() {
  local node n=0 c eps live_cids
  for node in 1 2; do
    eps=$(agent_api "$node" /v1/endpoint)
    c=$(echo "$eps" | jq -r '.[].podName' | grep -cvxF -f <(live_pods)); n=$((n + c))
    [ "$c" -eq 0 ] || say "node-$node: $c endpoints of no live pod"
    live_cids=$(echo "$eps" | jq -r '.[] | .containerId')
    c=$(grep -o '"containerId":"[^"]*"' "$CLUSTER_DIR/node-$node/state/pod-ip-allocations" | cut -d'"' -f4 \
      | grep -cvxF -f <(echo "$live_cids")); n=$((n + c))
    [ "$c" -eq 0 ] || say "node-$node: $c IP allocations of no endpoint"
    c=$(($(in_ns "node-$node" ip -o link show type veth | grep -c ': lxc') - $(echo "$eps" | jq length)))
    n=$((n + (c > 0 ? c : 0)))
    [ "$c" -le 0 ] || say "node-$node: $c veths of no endpoint"
    for id in $(redis smembers "${ID}node:node-$node"); do
      echo "$eps" | jq -e --argjson id "$id" 'any(.[]; .identity == $id)' > /dev/null \
        || { n=$((n + 1)); say "node-$node still refers to identity $id, which none of its endpoints carries"; }
    done
  done
  c=$(api get ciliumendpoints -n drill -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' \
    | grep -cvxF -f <(live_pods)); n=$((n + c))
  [ "$c" -eq 0 ] || say "$c CiliumEndpoints of no live pod"
  c=$(ip netns list | grep -c -- "^jc-$CLUSTER_RUN-pod-churn\|^jc-$CLUSTER_RUN-pod-fresh"); n=$((n + c))
  [ "$c" -eq 0 ] || say "$c pod namespaces left"
  for id in $(redis hkeys "${ID}by-id"); do
    [ "$(redis exists "${ID}ref:$id")" = 1 ] || [ -n "$(redis zscore "${ID}unref" "$id")" ] \
      || { n=$((n + 1)); say "identity $id: nobody refers to it and no GC will free it"; }
  done
  for node in $(redis hkeys "${IPAM}nodes"); do
    [[ "$node" =~ ^node-[12]$ ]] || { n=$((n + 1)); say "ipam-service still holds a pod CIDR for $node, which is gone"; }
  done
  echo "$n"
}

# settled_leaks: leaks, once they are gone or BOUND seconds have passed (the agents release
# and clean up asynchronously).
settled_leaks() {
  local deadline=$((SECONDS + 60)) left
  while :; do
    left=$(QUIET=1 leaks)
    [ "$left" = 0 ] || [ $SECONDS -ge $deadline ] && break
    sleep 2
  done
  [ "$left" = 0 ] || left=$(leaks) # once more, saying what is left
  echo "$left"
}

# --- drills ---------------------------------------------------------------------------------
# A probe Node (no agent): the operator gives it a CiliumNode with a pod CIDR from
# ipam-service; deleting it must give the CIDR back.
probe_node() {
  api apply -f - > /dev/null << EOF
apiVersion: v1
kind: Node
metadata: {name: $1}
status: {addresses: [{type: InternalIP, address: 172.29.0.99}]}
EOF
}
probe_node_has_cidr() { [ -n "$(api get ciliumnode "$1" -o jsonpath='{.spec.ipam.podCIDRs[0]}' 2> /dev/null)" ]; }
probe_node_gone() { ! api get ciliumnode "$1" > /dev/null 2>&1 && [ -z "$(redis hget "${IPAM}nodes" "$1")" ]; }
probe_node_remove() {
  api delete node "$1" > /dev/null 2>&1
  wait_for "$BOUND" probe_node_gone "$1" || say "the probe node $1 kept its CiliumNode or pod CIDR"
}

# drill NAME INJECT CONVERGED [RESTORE [CLEANUP]]: churn on node-1, INJECT, RESTORE (if
# any), then CONVERGED retried until it holds (timed from INJECT, or from RESTORE when there
# is one); then churn stops, CLEANUP runs, and flows and state are checked. Writes the
# drill's row.
drill() {
  local name=$1 inject=$2 converged=$3 restore=${4:-} cleanup=${5:-} start converge broken refused failed dup lost leaked
  if [ -n "${DRILLS_ONLY:-}" ] && [[ " $DRILLS_ONLY " != *" $name "* ]]; then
    say "drill $name: skipped (DRILLS_ONLY=$DRILLS_ONLY)"
    return 0
  fi
  say "drill $name"
  rm -f "$OUT/$name.tsv"
  churn_start 1 "$name"
  sleep 5
  start=$(now_ms)
  $inject || abort "$name: the failure could not be injected"
  if [ -n "$restore" ]; then
    $restore || abort "$name: the failure could not be undone"
    start=$(now_ms)
  fi
  if wait_for "$BOUND" $converged; then
    converge=$(($(now_ms) - start))
  else
    converge=-1
    say "$name: not converged within ${BOUND}s"
  fi
  sleep 5
  churn_stop
  [ -z "$cleanup" ] || $cleanup
  broken=$(flows_broken)
  refused=$(grep -c '^refused' "$CLUSTER_DIR/churn.log")
  failed=$(grep -c '^failed' "$CLUSTER_DIR/churn.log")
  grep '^refused' "$CLUSTER_DIR/churn.log" | head -n 3 >> "$LOG"
  dup=$(check_duplicates)
  lost=$(check_lost)
  leaked=$(settled_leaks)
  say "$name: $(grep -c '^started' "$CLUSTER_DIR/churn.log") pods started, $failed failed, $refused refusals;" \
    "$broken flows broken; $dup duplicated; $lost lost; $leaked leaked; converged in ${converge} ms"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$refused" "$dup" "$lost" "$converge" "$leaked" "$broken" "$failed" \
    > "$OUT/$name.tsv"
}

start_identity() {
  local args
  read -r -a args <<< "$CLUSTER_IDENTITY_ARGS"
  cluster_start_java cp identity-service "$(runnable_jar identity-service)" "${args[@]}"
}
kill_identity() {
  local pid
  pid=$(service_pid /identity-service-)
  [ -n "$pid" ] && kill -KILL "$pid" || return 1
  wait "$pid" 2> /dev/null # (the shell's "Killed" notice, not ours to show)
  sleep 5
  start_identity
}
identity_converged() { healthy cp 8281 && fresh_pod 1 fresh-identity && [ "$(QUIET=1 check_lost)" = 0 ]; }

restart_ipam() {
  local pid
  pid=$(service_pid /ipam-service-)
  [ -n "$pid" ] && stop_processes "$pid" || return 1
  probe_node drill-ipam
  cluster_start_java cp ipam-service "$(runnable_jar ipam-service)" \
    --jcilium.ipam.cluster-pool.ipv4-cidrs="$CLUSTER_POD_POOL"
}
ipam_converged() { healthy cp 8282 && probe_node_has_cidr drill-ipam; }
ipam_cleanup() { probe_node_remove drill-ipam; }

leader() { api get lease -n kube-system jcilium-operator-resource-lock -o jsonpath='{.spec.holderIdentity}'; }
kill_leader() {
  OLD_LEADER=$(leader)
  [ -n "$OLD_LEADER" ] || return 1
  local pid
  if [ "$OLD_LEADER" = operator-2 ]; then
    pid=$(service_pid election.identity=operator-2)
  else
    pid=$(operator_one_pid)
  fi
  [ -n "$pid" ] && kill -KILL "$pid" || return 1
  wait "$pid" 2> /dev/null
  probe_node drill-operator
}
# the first operator: the one started by cluster_up, without an identity of its own
operator_one_pid() {
  local kind pid
  while read -r kind pid; do
    [ "$kind" = pid ] && kill -0 "$pid" 2> /dev/null || continue
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q /operator-service- || continue
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q operator-2 || echo "$pid"
  done < "$CLUSTER_DIR/resources" | head -n 1
}
operator_converged() { local l; l=$(leader) && [ -n "$l" ] && [ "$l" != "$OLD_LEADER" ] && probe_node_has_cidr drill-operator; }
operator_cleanup() { probe_node_remove drill-operator; }

partition() {
  # node-2 loses the control plane (API server, identity-, ipam-service) while its pods keep
  # their datapath and the other node: packets from and to 172.29.0.2 are dropped, as a cut
  # link would, so connections hang instead of being refused.
  in_ns node-2 iptables -I OUTPUT -d "$CLUSTER_CP_IP" -j DROP && in_ns node-2 iptables -I INPUT -s "$CLUSTER_CP_IP" -j DROP \
    || return 1
  say "node-2 partitioned for ${PARTITION_SECONDS}s"
  sleep "$PARTITION_SECONDS"
  local now deadline
  now=$(redis time | head -n 1)000
  deadline=$(redis zscore "${ID}leases" node-2)
  if [ -z "$deadline" ] || [ "${deadline%.*}" -lt "$now" ]; then
    say "node-2's identity lease lapsed during the partition"
  else
    say "node-2's identity lease is still live after the partition (it outlasts the partition)"
  fi
}
heal() {
  in_ns node-2 iptables -D OUTPUT -d "$CLUSTER_CP_IP" -j DROP && in_ns node-2 iptables -D INPUT -s "$CLUSTER_CP_IP" -j DROP
}
partition_converged() { [ "$(QUIET=1 check_lost)" = 0 ] && fresh_pod 2 fresh-partition; }

# --- main -------------------------------------------------------------------------------------
: > "$LOG"
say "agent drills ($mode form), cluster in $CLUSTER_DIR; load average $(cut -d' ' -f1-3 /proc/loadavg)"
cluster_up 2 >> "$LOG" 2>&1 || { tail -n 20 "$LOG"; abort "the cluster did not come up"; }
say "cluster $CLUSTER_RUN up"

# A purge from elsewhere (another CLUSTER_DIR) must leave this live run alone.
(CLUSTER_DIR=$REPO_ROOT/.drills-other-$$ cluster_purge "$CLUSTER_RUN") >> "$LOG" 2>&1 \
  && abort "a purge from another directory removed the live run $CLUSTER_RUN"
[ -e "/run/netns/$(cluster_ns node-1)" ] || abort "a refused purge still removed node-1's namespace"

cluster_namespace drill || abort "namespace drill"
STREAM_IP=(x)
# Each node's stream pods have an identity no pod of the other node has: only that node's
# references keep it (when a partition outlasts its lease, the GC may free it).
for f in 1 2 3 4; do
  pod_add "${STREAM_NODE[$f]}" drill "stream-$f" "app: stream, node: n${STREAM_NODE[$f]}" >> "$LOG" 2>&1 \
    || abort "stream pod $f"
  STREAM_IP+=("$POD_IP")
  cluster_start "pod-stream-$f" "serve-$f" /usr/bin/python3 "$REPO_ROOT/scripts/tcp-stream.py" serve "$STREAM_PORT"
done
api apply -f - > /dev/null << EOF || abort "the streams' policy"
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: streams, namespace: drill}
spec:
  endpointSelector: {matchLabels: {app: stream}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: stream}}]
    toPorts: [{ports: [{port: "$STREAM_PORT", protocol: TCP}]}]
EOF
sleep 3
for f in 1 2 3 4; do flow_start "$f"; done
for f in 1 2 3 4; do wait_for 120 flow_advances "$f" 0 || abort "flow $f does not start; see logs/flow-$f.log"; done
say "4 flows between the nodes' stream pods run: ${STREAM_IP[*]:1}"

# The operator's second replica, for the leader drill; started now so it is up in time.
cluster_start_java cp operator-service-2 "$(runnable_jar operator-service)" --server.port=9964 \
  --jcilium.operator.election.identity=operator-2
: > "$CLUSTER_DIR/churn.log"

drill identity-service-killed kill_identity identity_converged
drill ipam-service-restarted restart_ipam ipam_converged '' ipam_cleanup
cluster_wait_health cp 9964 operator-service-2 || abort "the operator's second replica"
drill operator-leader-killed kill_leader operator_converged '' operator_cleanup
drill agent-partitioned partition partition_converged heal

# The checks count what they should: a pod whose DEL never comes (leaked), a second number for
# a label set in identity-service's store (duplicated), node-2's references dropped (lost).
pod_object 1 control-leak "app: control" && cluster_netns_add pod-control-leak \
  && cni_exec 1 ADD drill control-leak "${CLUSTER_RUN}c0n7r01" > /dev/null || abort "the control pod"
redis hset "${ID}by-id" 65000 "$(redis hget "${ID}by-id" "$(agent_api 1 /v1/endpoint | jq '.[0].identity')")" > /dev/null
redis del "${ID}node:node-2" > /dev/null
control_lost=$(QUIET=1 check_lost)
control_dup=$(QUIET=1 check_duplicates)
control_leaked=$(QUIET=1 leaks)
say "control: the checks count a planted leak ($control_leaked), duplicate ($control_dup) and lost reference ($control_lost)"
[ "$control_leaked" -gt 0 ] && [ "$control_dup" -gt 0 ] && [ "$control_lost" -gt 0 ] \
  || abort "a check missed what was planted for it"
say "agent drills done"
