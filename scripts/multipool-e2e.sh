#!/usr/bin/env bash
# End-to-end test of multi-pool IPAM (issue 16 point 5) on a simulated two-node cluster
# (scripts/cluster.sh) whose control plane and agents run in upstream's multi-pool mode (no
# cluster pool: CiliumNodes get no spec.ipam.podCIDRs, ipam-service has no cluster pool): two
# CiliumPodIPPools applied with kubectl, pods that name the pool `blue` through their
# namespace's or their own ipam.cilium.io/ip-pool annotation and pods in `default` on both
# nodes; each gets an address from a block of its pool that its node's CiliumNode lists,
# reaches the others across nodes with real TCP connections, policy by identity still
# decides, and once a node's last blue pod goes the node gives its blue block back: it
# leaves the CiliumNode, ipam-service (the console's `ipam nodes`) and the other node's
# routes. Each check prints PASS or FAIL; the exit status is the number of failures (at
# most 125), or non-zero when a step the checks need fails and the run aborts early.
# Needs root and the jars built (the console's too).
#   scripts/multipool-e2e.sh [tunnel|native]        the routing mode (default tunnel)
#   MULTIPOOL_E2E_LOGS=DIR scripts/multipool-e2e.sh  also keep the services' logs in DIR
set -uo pipefail
source "$(dirname "$0")/lib.sh"
CLUSTER_DIR=${CLUSTER_DIR:-$REPO_ROOT/.multipool-e2e-$$}
CLUSTER_ROUTING=${1:-tunnel}
[[ "$CLUSTER_ROUTING" =~ ^(tunnel|native)$ ]] \
  || { echo "scripts/multipool-e2e.sh takes the routing mode, tunnel or native; got '$CLUSTER_ROUTING'" >&2; exit 2; }
DEFAULT_POOL=10.245.0.0/16
BLUE_POOL=10.246.0.0/16
source "$(dirname "$0")/cluster-lib.sh"
CLUSTER_NON_MASQUERADE="$CLUSTER_POD_POOL,$DEFAULT_POOL,$BLUE_POOL"
CLUSTER_IPAM_MODE=multi-pool
CLUSTER_AGENT_ARGS="--jcilium.agent.ipam.pool-wait=90s"
require_root "scripts/multipool-e2e.sh"
cd "$REPO_ROOT"

passed=0
failed=0
completed=false

keep_logs() {
  [ -z "${MULTIPOOL_E2E_LOGS:-}" ] || [ ! -d "$CLUSTER_DIR/logs" ] || cp -r "$CLUSTER_DIR/logs" "$MULTIPOOL_E2E_LOGS"
}

finish() {
  local status=$?
  trap - EXIT INT TERM
  keep_logs
  cluster_down
  echo "routing mode $CLUSTER_ROUTING"
  checks_exit multipool-e2e "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

connects() { # FROM-PART IP: whether a new TCP connection to IP:8080 gets an HTTP answer
  in_ns "$1" curl -s -o /dev/null --max-time 2 "http://$2:8080/"
}
denied() { ! connects "$@"; }

# in_cidr IP CIDR: whether the IPv4 address lies in the CIDR.
in_cidr() {
  python3 -c 'import ipaddress, sys; sys.exit(ipaddress.ip_address(sys.argv[1]) not in ipaddress.ip_network(sys.argv[2]))' \
    "$1" "$2"
}

# blocks NODE POOL: the blocks of POOL that node-NODE's CiliumNode lists, one a line.
blocks() {
  cluster_kubectl get ciliumnode "node-$1" -o json \
    | jq -r --arg pool "$2" '.spec.ipam.pools.allocated // [] | .[] | select(.pool == $pool) | .cidrs[]'
}
has_block() { [ -n "$(blocks "$1" "$2")" ]; }
no_block() { [ -z "$(blocks "$1" "$2")" ]; }
requests() { # NODE POOL: whether node-NODE's CiliumNode requests addresses of POOL
  cluster_kubectl get ciliumnode "node-$1" -o json \
    | jq -e --arg pool "$2" '[.spec.ipam.pools.requested // [] | .[] | select(.pool == $pool)] | length > 0' > /dev/null
}
# in_listed_block NODE POOL IP: whether IP lies in a block of POOL that node-NODE lists.
in_listed_block() {
  local block
  for block in $(blocks "$1" "$2"); do
    in_cidr "$3" "$block" && return 0
  done
  return 1
}
# ipam_service_blocks NODE POOL: the blocks of POOL ipam-service holds for node-NODE, read
# with the console (`jcilium ipam nodes`) from the control plane's namespace.
ipam_service_blocks() {
  in_ns cp "$REPO_ROOT/scripts/jcilium" ipam nodes -o json 2> /dev/null \
    | jq -r --arg node "node-$1" --arg pool "$2" '.[] | select(.node == $node) | .poolBlocks[] | select(.pool == $pool) | .cidr'
}
routes_block() { # NODE CIDR: whether node-NODE routes CIDR with the agent's protocol
  [ -n "$(in_ns "node-$1" ip route show "$2" proto 198)" ]
}
no_route() { ! routes_block "$@"; }
no_request() { ! requests "$@"; }
# ipam_service_none NODE POOL: whether ipam-service answers and holds no block of POOL for
# node-NODE.
ipam_service_none() {
  local held
  held=$(ipam_service_blocks "$1" "$2") || return 1
  [ -z "$held" ]
}

# pool_pod NODE NAMESPACE NAME [POOL]: a pod on node-NODE, with the ipam.cilium.io/ip-pool
# annotation when POOL is given; its address in POD_IP.
pool_pod() {
  local annotations='{}'
  [ -z "${4:-}" ] || annotations="{ipam.cilium.io/ip-pool: $4}"
  cluster_kubectl apply -f - > /dev/null <<EOF || return 1
apiVersion: v1
kind: Pod
metadata: {name: $3, namespace: $2, labels: {app: $3}, annotations: $annotations}
spec:
  nodeName: node-$1
  containers: [{name: main, image: busybox}]
EOF
  pod_attach "$1" "$2" "$3" "pod-$3" || return 1
  cluster_start "pod-$3" "http-$3" python3 -m http.server 8080 --directory "$CLUSTER_DIR/logs"
}

mkdir -p "$REPO_ROOT/target"
start=$SECONDS
cluster_up 2 > "$REPO_ROOT/target/multipool-e2e-up.log" 2>&1 \
  || { cat "$REPO_ROOT/target/multipool-e2e-up.log"; abort "the cluster did not come up"; }
echo "cluster $CLUSTER_RUN up (multi-pool IPAM, routing mode $CLUSTER_ROUTING) after $((SECONDS - start))s"

# Upstream's multi-pool mode: the operator gives nodes no cluster-pool pod CIDR, and
# ipam-service has no cluster pool to give one from.
pod_cidrs() { # NODE: node-NODE's spec.ipam.podCIDRs, space-separated
  cluster_kubectl get ciliumnode "node-$1" -o json | jq -r '.spec.ipam.podCIDRs // [] | join(" ")'
}
check "multi-pool mode: node-1's and node-2's CiliumNodes carry no pod CIDR ('$(pod_cidrs 1)', '$(pod_cidrs 2)')" \
  [ -z "$(pod_cidrs 1)$(pod_cidrs 2)" ]

cluster_kubectl apply -f - > /dev/null <<EOF || abort "applying the CiliumPodIPPools"
apiVersion: cilium.io/v2alpha1
kind: CiliumPodIPPool
metadata: {name: default}
spec:
  ipv4: {cidrs: [$DEFAULT_POOL], maskSize: 27}
---
apiVersion: cilium.io/v2alpha1
kind: CiliumPodIPPool
metadata: {name: blue}
spec:
  ipv4: {cidrs: [$BLUE_POOL], maskSize: 27}
---
apiVersion: v1
kind: Namespace
metadata:
  name: blue-team
  annotations: {ipam.cilium.io/ip-pool: blue}
---
apiVersion: v1
kind: Namespace
metadata: {name: demo}
EOF

pool_names() { in_ns cp "$REPO_ROOT/scripts/jcilium" ipam pools -o json 2> /dev/null | jq -r '.[].name' | sort | xargs; }
ipam_pools_without_cluster_pool() { [ "$(pool_names)" = "blue default" ]; }
check "multi-pool mode: ipam-service serves the two CiliumPodIPPools and no cluster pool (console 'ipam pools': '$(pool_names)')" \
  wait_for 60 ipam_pools_without_cluster_pool

# b1: blue through its namespace; b2: blue through its own annotation in a namespace
# without one; d1, d2: no annotation, so `default`.
pool_pod 1 blue-team b1 || abort "pod b1 on node-1"
ip_b1=$POD_IP
pool_pod 1 demo d1 || abort "pod d1 on node-1"
ip_d1=$POD_IP
pool_pod 2 demo b2 blue || abort "pod b2 on node-2"
ip_b2=$POD_IP
pool_pod 2 demo d2 || abort "pod d2 on node-2"
ip_d2=$POD_IP

check "b1 (namespace blue-team annotated blue) on node-1 gets $ip_b1 from a blue block node-1 lists ($(blocks 1 blue | xargs))" \
  in_listed_block 1 blue "$ip_b1"
check "b2 (pod annotated blue) on node-2 gets $ip_b2 from a blue block node-2 lists ($(blocks 2 blue | xargs))" \
  in_listed_block 2 blue "$ip_b2"
check "d1 (no annotation) on node-1 gets $ip_d1 from a default block node-1 lists ($(blocks 1 default | xargs))" \
  in_listed_block 1 default "$ip_d1"
check "d2 (no annotation) on node-2 gets $ip_d2 from a default block node-2 lists ($(blocks 2 default | xargs))" \
  in_listed_block 2 default "$ip_d2"
pools_right=false
in_cidr "$ip_b1" "$BLUE_POOL" && in_cidr "$ip_b2" "$BLUE_POOL" && in_cidr "$ip_d1" "$DEFAULT_POOL" \
  && in_cidr "$ip_d2" "$DEFAULT_POOL" && pools_right=true
check "blue pods' addresses are in $BLUE_POOL, default pods' in $DEFAULT_POOL" $pools_right

blue1=$(blocks 1 blue | head -n 1)
blue2=$(blocks 2 blue | head -n 1)
default2=$(blocks 2 default | head -n 1)
routes_node_2_blocks() { routes_block 1 "$blue2" && routes_block 1 "$default2"; }
check "node-1 routes node-2's blue block $blue2 and default block $default2" wait_for 60 routes_node_2_blocks
check "node-2 routes node-1's blue block $blue1" wait_for 60 routes_block 2 "$blue1"
if [ "$CLUSTER_ROUTING" = tunnel ]; then
  check "tunnel: node-1 routes node-2's blue block into its VXLAN device" \
    in_ns node-1 sh -c "ip route show '$blue2' proto 198 | grep -q 'dev cilium_vxlan'"
fi
check "d1 reaches b1 on the same node (default -> blue)" wait_for 60 connects pod-d1 "$ip_b1"
check "d1 on node-1 reaches b2 on node-2 (default -> blue, across nodes)" wait_for 60 connects pod-d1 "$ip_b2"
check "b1 on node-1 reaches d2 on node-2 (blue -> default, across nodes)" wait_for 60 connects pod-b1 "$ip_d2"
check "b2 on node-2 reaches b1 on node-1 (blue -> blue, across nodes)" wait_for 60 connects pod-b2 "$ip_b1"
check "d2 on node-2 reaches d1 on node-1 (default -> default, across nodes)" wait_for 60 connects pod-d2 "$ip_d1"

cluster_kubectl apply -f - > /dev/null << 'POLICY' || abort "applying the policy"
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: b2-from-d1, namespace: demo}
spec:
  endpointSelector: {matchLabels: {app: b2}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: d1}}]
    toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
POLICY
check "policy on node-2: d2 (same node, another identity) is denied b2" wait_for 60 denied pod-d2 "$ip_b2"
check "policy on node-2: b1 on node-1 (another identity, a blue address) is denied b2" denied pod-b1 "$ip_b2"
check "policy on node-2: d1 on node-1 (the allowed identity) still reaches b2" connects pod-d1 "$ip_b2"

# Giving back: b1 is node-1's only blue pod. Once it goes, node-1 needs no blue block: it
# leaves requested and allocated, ipam-service releases it, node-2 stops routing it.
held=$(ipam_service_blocks 1 blue | xargs)
check "before b1 goes, ipam-service holds node-1's blue block (console 'ipam nodes': '$held')" [ "$held" = "$blue1" ]
pod_delete 1 blue-team b1 || abort "deleting pod b1"
gone_start=$(date +%s%N)
wait_for 90 no_block 1 blue
took_ms=$((($(date +%s%N) - gone_start) / 1000000))
check "b1 gone: node-1's CiliumNode no longer lists a blue block (was $blue1; seen ${took_ms} ms after the CNI DEL)" \
  no_block 1 blue
check "b1 gone: node-1's CiliumNode no longer requests blue" wait_for 30 no_request 1 blue
check "b1 gone: ipam-service holds no blue block for node-1 (console 'ipam nodes')" wait_for 90 ipam_service_none 1 blue
check "b1 gone: node-2 no longer routes node-1's former blue block $blue1" wait_for 60 no_route 2 "$blue1"
check "b1 gone: node-1 keeps its default block" has_block 1 default
check "b1 gone: d1 on node-1 still reaches b2 on node-2" connects pod-d1 "$ip_b2"
check "node-2 keeps its blue block $blue2 while b2 uses it" has_block 2 blue

run=$CLUSTER_RUN
keep_logs
cluster_down
nothing_left() { ! ip netns list | grep -q -- "jc-$run-" && [ ! -e "$CLUSTER_DIR" ]; }
check "down removes the run's namespaces and directory" nothing_left
echo "multipool-e2e took $((SECONDS - start))s"
completed=true
