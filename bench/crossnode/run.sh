#!/usr/bin/env bash
# Cross-node benchmark (issue 16), direct routing: TCP throughput (iperf3) and request/response
# latency (rr.py, 1-byte TCP_RR) from a pod on node-1 to a pod on node-2 of a simulated
# two-node cluster (scripts/cluster.sh), against the same path without our programs in the
# same run: plain pods on the same nodes, a veth with a /32 route and proxy ARP like ours,
# routed across the same underlay, no tc program on either veth. Runs alternate between the
# two paths; medians of RUNS runs each.
#
#   sudo bench/crossnode/run.sh           (RUNS=5 SECONDS_PER_RUN=5 ROUND_TRIPS=2000)
#
# Not yet here: the VXLAN overlay and its plain-VXLAN baseline (the overlay is not built yet).
# Needs root, iperf3, python3 and the jars built. Everything it creates is removed on exit.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../scripts/lib.sh"
CLUSTER_DIR=${CLUSTER_DIR:-$REPO_ROOT/.cluster-bench-$$}
source "$REPO_ROOT/scripts/cluster-lib.sh"
require_root "bench/crossnode/run.sh"
RUNS=${RUNS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
ROUND_TRIPS=${ROUND_TRIPS:-2000}
command -v iperf3 > /dev/null || { echo "bench: iperf3 is missing (run scripts/setup.sh)" >&2; exit 1; }
trap 'cluster_down' EXIT
trap 'exit 130' INT TERM

# plain_pod NODE NAME ADDRESS: a namespace wired to node-NODE as our CNI wires a pod, without programs.
plain_pod() {
  local node=node-$1 ns
  cluster_netns_add "$2" || return 1
  ns=$(cluster_ns "$2")
  ip -n "$(cluster_ns "$node")" link add "p$2" type veth peer name eth0 netns "$ns" || return 1
  ip -n "$ns" addr add "$3/32" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add 169.254.1.1 dev eth0 scope link
  ip -n "$ns" route add default via 169.254.1.1
  ip -n "$(cluster_ns "$node")" link set "p$2" up
  ip -n "$(cluster_ns "$node")" route add "$3/32" dev "p$2"
  in_ns "$node" sysctl -qw "net.ipv4.conf.p$2.proxy_arp=1" "net.ipv4.conf.p$2.forwarding=1" \
    "net.ipv4.neigh.p$2.proxy_delay=0"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cluster_up 2 > /dev/null 2>&1 || { echo "bench: the cluster did not come up" >&2; exit 1; }
pod_add 1 bench client 'app: client' > /dev/null || exit 1
pod_add 2 bench server 'app: server' > /dev/null || exit 1
server_ip=$POD_IP
plain_pod 1 plainclient 10.250.1.2 && plain_pod 2 plainserver 10.250.2.2 || exit 1
in_ns node-1 ip route add 10.250.2.0/24 via 172.29.0.12
in_ns node-2 ip route add 10.250.1.0/24 via 172.29.0.11
for server in pod-server plainserver; do
  in_ns "$server" iperf3 -s -D > /dev/null
  in_ns "$server" python3 "$HERE/rr.py" serve 7000 > /dev/null 2>&1 &
done
wait_for 60 in_ns pod-client python3 "$HERE/rr.py" run "$server_ip" 7000 10 > /dev/null 2>&1 \
  || { echo "bench: pod-client cannot reach pod-server" >&2; exit 1; }
wait_for 60 in_ns plainclient python3 "$HERE/rr.py" run 10.250.2.2 7000 10 > /dev/null 2>&1 \
  || { echo "bench: the plain pods cannot reach each other" >&2; exit 1; }

: > "$CLUSTER_DIR/ours.tput" && : > "$CLUSTER_DIR/plain.tput" && : > "$CLUSTER_DIR/ours.rr" && : > "$CLUSTER_DIR/plain.rr"
for run in $(seq "$RUNS"); do
  for path in ours plain; do
    if [ $path = ours ]; then client=pod-client target=$server_ip; else client=plainclient target=10.250.2.2; fi
    in_ns "$client" iperf3 -c "$target" -t "$SECONDS_PER_RUN" -J \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9)' \
        >> "$CLUSTER_DIR/$path.tput"
    in_ns "$client" python3 "$HERE/rr.py" run "$target" 7000 "$ROUND_TRIPS" >> "$CLUSTER_DIR/$path.rr"
  done
  echo "run $run of $RUNS done" >&2
done

ours_tput=$(median < "$CLUSTER_DIR/ours.tput")
plain_tput=$(median < "$CLUSTER_DIR/plain.tput")
ours_rr=$(cut -d' ' -f1 "$CLUSTER_DIR/ours.rr" | median)
plain_rr=$(cut -d' ' -f1 "$CLUSTER_DIR/plain.rr" | median)
printf 'direct routing, pod on node-1 -> pod on node-2, medians of %d interleaved runs\n' "$RUNS"
printf '%-34s %12s %14s\n' path "Gbit/s" "TCP_RR p50 us"
printf '%-34s %12.2f %14.0f\n' "ours (bpf_lxc on both veths)" "$ours_tput" "$ours_rr"
printf '%-34s %12.2f %14.0f\n' "plain (same path, no programs)" "$plain_tput" "$plain_rr"
awk -v a="$ours_tput" -v b="$plain_tput" -v c="$ours_rr" -v d="$plain_rr" \
  'BEGIN { printf "throughput ratio %.2f (floor 0.90, aim 0.97); latency ratio %.2f (floor 1.10, aim 1.05)\n", a / b, c / d }'
