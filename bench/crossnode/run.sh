#!/usr/bin/env bash
# Cross-node benchmark (issue 16): TCP throughput (iperf3) and request/response latency
# (rr.py, 1-byte TCP_RR) from a pod on node-1 to a pod on node-2 of a simulated two-node
# cluster (scripts/cluster.sh) in one routing mode, against the same path without our
# programs in the same run: plain pods on the same nodes, a veth with a /32 route and proxy
# ARP like ours, no tc program on either veth, and between the nodes
#   native: routes across the same underlay;
#   tunnel: a plain VXLAN device on each node (fixed VNI and remote, its own UDP port), the
#           plain pods' MTU lowered by 50 as ours are.
# Runs alternate between the two paths; medians of RUNS runs each.
#
#   sudo bench/crossnode/run.sh [tunnel|native]   (default: both, one cluster each;
#                                                  RUNS=5 SECONDS_PER_RUN=5 ROUND_TRIPS=2000)
#
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
if [ $# -eq 0 ]; then
  for mode in tunnel native; do CLUSTER_DIR=$CLUSTER_DIR-$mode bash "$0" "$mode" || exit 1; done
  exit 0
fi
CLUSTER_ROUTING=$1
[[ "$CLUSTER_ROUTING" =~ ^(tunnel|native)$ ]] || { echo "bench: routing mode tunnel or native, got '$1'" >&2; exit 2; }
PLAIN_MTU=1500
[ "$CLUSTER_ROUTING" = native ] || PLAIN_MTU=1450
command -v iperf3 > /dev/null || { echo "bench: iperf3 is missing (run scripts/setup.sh)" >&2; exit 1; }
trap 'cluster_down' EXIT
trap 'exit 130' INT TERM

# plain_pod NODE NAME ADDRESS: a namespace wired to node-NODE as our CNI wires a pod, without programs.
plain_pod() {
  local node=node-$1 ns
  cluster_netns_add "$2" || return 1
  ns=$(cluster_ns "$2")
  ip -n "$(cluster_ns "$node")" link add "p$2" mtu "$PLAIN_MTU" type veth peer name eth0 netns "$ns" mtu "$PLAIN_MTU" \
    || return 1
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
if [ "$CLUSTER_ROUTING" = native ]; then
  in_ns node-1 ip route add 10.250.2.0/24 via 172.29.0.12
  in_ns node-2 ip route add 10.250.1.0/24 via 172.29.0.11
else
  # A plain VXLAN device per node (VNI 42, UDP 4789, fixed remote), addressed on its own /24.
  for i in 1 2; do
    in_ns "node-$i" ip link add vxplain type vxlan id 42 dstport 4789 local "172.29.0.1$i" \
      remote "172.29.0.1$((3 - i))" || exit 1
    in_ns "node-$i" ip link set vxplain mtu 1450 up
    in_ns "node-$i" ip addr add "10.251.0.$i/24" dev vxplain
  done
  in_ns node-1 ip route add 10.250.2.0/24 via 10.251.0.2 dev vxplain
  in_ns node-2 ip route add 10.250.1.0/24 via 10.251.0.1 dev vxplain
fi
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
printf 'routing mode %s, pod on node-1 -> pod on node-2, medians of %d interleaved runs (load average %s)\n' \
  "$CLUSTER_ROUTING" "$RUNS" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %12s %14s\n' path "Gbit/s" "TCP_RR p50 us"
if [ "$CLUSTER_ROUTING" = native ]; then
  printf '%-40s %12.2f %14.0f\n' "ours (bpf_lxc on both veths)" "$ours_tput" "$ours_rr"
  printf '%-40s %12.2f %14.0f\n' "plain (same path, no programs)" "$plain_tput" "$plain_rr"
else
  printf '%-40s %12.2f %14.0f\n' "ours (bpf_lxc + bpf_overlay, VNI identity)" "$ours_tput" "$ours_rr"
  printf '%-40s %12.2f %14.0f\n' "plain VXLAN device, no programs" "$plain_tput" "$plain_rr"
fi
awk -v a="$ours_tput" -v b="$plain_tput" -v c="$ours_rr" -v d="$plain_rr" \
  'BEGIN { printf "throughput ratio %.2f (floor 0.90, aim 0.97); latency ratio %.2f (floor 1.10, aim 1.05)\n", a / b, c / d }'
