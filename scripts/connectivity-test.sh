#!/usr/bin/env bash
# The connectivity suite, like upstream's `cilium connectivity test` (issue 16 point 8), on a
# simulated two-node cluster of its own (scripts/cluster.sh). Pods as upstream deploys them:
# in namespace cilium-test client and client2 (other=client) and echo-same-node on node-1,
# echo-other-node on node-2, and client3 in cilium-test-2 on node-2; the outside namespace
# plays the world (198.51.100.1 and .2, both answering 8080/TCP) and routes the pod CIDRs to
# the nodes, so it can also try to reach the pods. Each scenario applies its policy from
# examples/connectivity-test/ through the API server, opens new connections with real
# packets until every check gets its expected answer (at most CONN_TEST_SECONDS, default 90),
# confirms them with one more round, prints PASS or FAIL with each check, then removes the
# policy and waits until everything connects again as without policy. Every expected answer
# is also checked against `policy trace --offline` over the same pods
# (examples/connectivity-test/pods.yaml) and the scenario's policy alone, before the cluster
# starts: the hand-written expectation, the offline trace and the live packets must all agree.
#
#   scripts/connectivity-test.sh [--routing tunnel|native]
#   scripts/connectivity-test.sh --offline-only     the expectations against the offline
#                                                   trace alone, without a cluster
#
# Exit status: the number of failed scenarios (at most 125), 1 when the cluster did not come
# up. Needs root and the jars built (./mvnw -B -DskipTests package).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
CLUSTER_DIR=${CLUSTER_DIR:-$REPO_ROOT/.cluster-connectivity-$$}
source "$(dirname "$0")/cluster-lib.sh"
source "$(dirname "$0")/connectivity-lib.sh"
CONN_TEST_SECONDS=${CONN_TEST_SECONDS:-90}
POLICIES=$REPO_ROOT/examples/connectivity-test

offline_only=false
while [ $# -gt 0 ]; do
  case $1 in
    --routing)
      [[ "${2:-}" =~ ^(tunnel|native)$ ]] || { echo "--routing takes tunnel or native; got '${2:-}'" >&2; exit 2; }
      CLUSTER_ROUTING=$2
      shift 2
      ;;
    --offline-only) offline_only=true && shift ;;
    *) echo "scripts/connectivity-test.sh takes --routing tunnel|native and --offline-only; got '$1'" >&2; exit 2 ;;
  esac
done
require_root "scripts/connectivity-test.sh"

passed=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/connectivity-test.XXXXXX")
finish() {
  local status=$?
  trap - EXIT INT TERM
  cluster_down
  rm -rf "$work"
  echo "connectivity-test: $passed passed, $failed failed (routing $CLUSTER_ROUTING)"
  [ "$status" -eq 0 ] || exit "$status"
  exit $((failed > 125 ? 125 : failed))
}
trap finish EXIT
trap 'exit 130' INT TERM

# offline_trace SCENARIO POLICY-FILE|-: the offline trace of the suite's pods under the
# scenario's policy alone, in $work/offline-SCENARIO.txt.
offline_trace() {
  mkdir -p "$work/policies-$1"
  [ "$2" = - ] || cp "$POLICIES/$2" "$work/policies-$1/"
  "$REPO_ROOT/scripts/jcilium" policy trace --offline --pods "$POLICIES/pods.yaml" --policies "$work/policies-$1" \
    --ports 8080/TCP,8081/TCP,8080/UDP > "$work/offline-$1.txt" 2>&1
}
declare -A namespace_of=([client]=cilium-test/ [client2]=cilium-test/ [echo-same-node]=cilium-test/
  [echo-other-node]=cilium-test/ [client3]=cilium-test-2/)
SCENARIOS=(no-policies:- allow-all-except-world client-egress-only-one-port client-ingress-from-one-label
  all-ingress-deny all-egress-deny to-entities-world to-cidr-external deny-overriding-allow ccnp-across-namespaces)
for entry in "${SCENARIOS[@]}"; do
  name=${entry%%:*}
  policy=$name.yaml
  [ "$entry" = "${entry#*:}" ] || policy=${entry#*:}
  offline_trace "$name" "$policy" || { cat "$work/offline-$name.txt"; echo "ABORT the offline trace of $name"; exit 1; }
done

if ! $offline_only; then
  log "cluster of 2 nodes (routing $CLUSTER_ROUTING) in $CLUSTER_DIR"
  conn_cluster_up 2 "$work/cluster-up.log" || { echo "ABORT the cluster did not come up"; exit 1; }

  declare -A part_of ip_of source_of
  add_pod() { # NODE NAMESPACE NAME LABELS
    pod_add "$1" "$2" "$3" "$4" || { echo "ABORT pod $2/$3 on node-$1"; exit 1; }
    part_of[$3]=pod-$3
    ip_of[$3]=$POD_IP
    conn_serve "pod-$3" 8080/TCP 8081/TCP 8080/UDP || exit 1
  }
  add_pod 1 cilium-test client 'kind: client, name: client'
  add_pod 1 cilium-test client2 'kind: client, name: client2, other: client'
  add_pod 1 cilium-test echo-same-node 'kind: echo, name: echo-same-node'
  add_pod 2 cilium-test echo-other-node 'kind: echo, name: echo-other-node'
  add_pod 2 cilium-test-2 client3 'kind: client, name: client3'
  ip -n "$(cluster_ns outside)" addr add 198.51.100.2/32 dev lo || exit 1
  for world in world:198.51.100.1 world2:198.51.100.2; do
    part_of[${world%%:*}]=outside
    ip_of[${world%%:*}]=${world#*:}
    source_of[${world%%:*}]=@${world#*:}
  done
  conn_serve outside 8080/TCP || exit 1
fi

# probe_checks OUT CHECK...: each CHECK "FROM TO PORT/PROTO EXPECTED" probed once, all at
# once; OUT gets "FROM TO PORT/PROTO EXPECTED GOT" per check.
probe_checks() {
  local out=$1 dir check from to port expected n=0
  shift
  dir=$(mktemp -d "$work/round.XXXXXX")
  for check in "$@"; do
    read -r from to port expected <<< "$check"
    n=$((n + 1))
    echo "k$n=${ip_of[$to]}:$port${source_of[$from]:-}" >> "$dir/targets-${part_of[$from]}"
  done
  conn_probe_all "$dir"
  cat "$dir"/results-* > "$dir/results"
  n=0
  : > "$out"
  for check in "$@"; do
    n=$((n + 1))
    echo "$check $(sed -n "s/^k$n //p" "$dir/results")" >> "$out"
  done
  rm -rf "$dir"
}

all_as_expected() { # OUT: whether every check got its expected answer
  ! awk '$4 != $5 { bad = 1 } END { exit !bad }' "$1"
}

# await_checks OUT CHECK...: probes until every check gets its expected answer, then once
# more to confirm; false when the bound passes or the confirmation differs.
await_checks() {
  local out=$1 deadline=$((SECONDS + CONN_TEST_SECONDS))
  shift
  until probe_checks "$out" "$@" && all_as_expected "$out"; do
    [ $SECONDS -lt $deadline ] || return 1
  done
  probe_checks "$out" "$@" && all_as_expected "$out"
}

# Without policy, every pod reaches every echo pod and the world (and the world, routed,
# reaches the pods): the state every scenario starts from and returns to.
BASELINE=(
  "client echo-same-node 8080/TCP allowed"
  "client echo-other-node 8080/TCP allowed"
  "client echo-other-node 8080/UDP allowed"
  "client2 echo-other-node 8081/TCP allowed"
  "client3 echo-same-node 8080/TCP allowed"
  "client world 8080/TCP allowed"
  "client world2 8080/TCP allowed"
  "world echo-same-node 8080/TCP allowed"
)

# scenario NAME POLICY-FILE|- CHECK...: PASS when every check gets its expected answer
# from the offline trace and from live packets (only the former with --offline-only).
scenario() {
  local name=$1 policy=$2 out=$work/$1.txt ok=true
  shift 2
  : > "$out"
  if ! $offline_only; then
    if [ "$policy" != - ]; then
      cluster_kubectl apply -f "$POLICIES/$policy" > "$work/apply.log" 2>&1 || { cat "$work/apply.log"; ok=false; }
    fi
    $ok && await_checks "$out" "$@" || ok=false
  fi
  local check from to port expected offline live n=0 report=()
  for check in "$@"; do
    n=$((n + 1))
    read -r from to port expected <<< "$check"
    offline=$(grep "^${namespace_of[$from]:-}$from ${namespace_of[$to]:-}$to $port " "$work/offline-$name.txt" \
      | cut -d' ' -f4)
    live=$(sed -n "${n}p" "$out" | cut -d' ' -f5-)
    if [ "$offline" = "$expected" ] && { $offline_only || [ "$live" = "$expected" ]; }; then
      report+=("  ok   $from -> $to $port: expected $expected, offline ${offline}, live ${live:-not probed}")
    else
      ok=false
      report+=("  FAIL $from -> $to $port: expected $expected, offline ${offline:-not traced}, live ${live:-not probed}")
    fi
  done
  if $ok; then
    passed=$((passed + 1))
    echo "PASS $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
  fi
  printf '%s\n' "${report[@]}"
  if ! $offline_only && [ "$policy" != - ]; then
    cluster_kubectl delete -f "$POLICIES/$policy" > /dev/null 2>&1
    if ! await_checks "$work/baseline.txt" "${BASELINE[@]}"; then
      failed=$((failed + 1))
      echo "FAIL $name removed: not everything connects again as without policy"
      awk '$4 != $5 { print "  FAIL " $0 }' "$work/baseline.txt"
    fi
  fi
}

scenario no-policies - \
  "client echo-same-node 8080/TCP allowed" \
  "client echo-other-node 8080/TCP allowed" \
  "client echo-other-node 8080/UDP allowed" \
  "client3 echo-same-node 8080/TCP allowed" \
  "client world 8080/TCP allowed"
scenario allow-all-except-world allow-all-except-world.yaml \
  "client echo-same-node 8080/TCP allowed" \
  "client echo-other-node 8080/TCP allowed" \
  "client3 echo-other-node 8080/TCP allowed" \
  "client world 8080/TCP denied" \
  "world echo-same-node 8080/TCP denied" \
  "world echo-other-node 8080/TCP denied"
scenario client-egress-only-one-port client-egress-only-one-port.yaml \
  "client echo-same-node 8080/TCP allowed" \
  "client echo-other-node 8080/TCP allowed" \
  "client echo-same-node 8081/TCP denied" \
  "client echo-other-node 8080/UDP denied" \
  "client world 8080/TCP denied" \
  "client3 echo-same-node 8081/TCP allowed"
scenario client-ingress-from-one-label client-ingress-from-one-label.yaml \
  "client2 echo-same-node 8080/TCP allowed" \
  "client2 echo-other-node 8080/TCP allowed" \
  "client echo-same-node 8080/TCP denied" \
  "client echo-other-node 8080/TCP denied" \
  "client3 echo-other-node 8080/TCP denied"
scenario all-ingress-deny all-ingress-deny.yaml \
  "client echo-same-node 8080/TCP denied" \
  "client echo-other-node 8080/TCP denied" \
  "client3 echo-same-node 8080/TCP denied" \
  "world echo-same-node 8080/TCP denied" \
  "client world 8080/TCP allowed"
scenario all-egress-deny all-egress-deny.yaml \
  "client echo-same-node 8080/TCP denied" \
  "client echo-other-node 8080/TCP denied" \
  "client world 8080/TCP denied" \
  "client3 echo-same-node 8080/TCP allowed"
scenario to-entities-world to-entities-world.yaml \
  "client world 8080/TCP allowed" \
  "client world2 8080/TCP allowed" \
  "client echo-same-node 8080/TCP denied" \
  "client echo-other-node 8080/TCP denied"
scenario to-cidr-external to-cidr-external.yaml \
  "client world 8080/TCP allowed" \
  "client world2 8080/TCP denied" \
  "client echo-same-node 8080/TCP denied" \
  "client3 world2 8080/TCP allowed"
scenario deny-overriding-allow deny-overriding-allow.yaml \
  "client echo-same-node 8080/TCP allowed" \
  "client echo-other-node 8080/TCP allowed" \
  "client2 echo-same-node 8080/TCP denied" \
  "client2 echo-other-node 8080/TCP denied"
scenario ccnp-across-namespaces ccnp-across-namespaces.yaml \
  "client3 echo-same-node 8080/TCP allowed" \
  "client3 echo-other-node 8080/TCP allowed" \
  "client echo-same-node 8080/TCP denied" \
  "client2 echo-other-node 8080/TCP denied"
