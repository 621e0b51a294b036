#!/usr/bin/env bash
# Datapath benchmark (issue 6): two pod namespaces behind a node namespace, once with plain
# veth routing (baseline) and once with bpf_lxc attached on both host-side veths and a
# policy map of POLICY_ENTRIES entries. Both topologies exist side by side and runs are
# interleaved (base, bpf, bpf, base, ...) so machine noise hits both alike; each number is
# the median of RUNS runs. Then per-packet program cost from BPF_PROG_TEST_RUN.
#
#   sudo bench/datapath/run.sh            (RUNS=5 IPERF_SECONDS=5 POLICY_ENTRIES=1000 ...)
#
# Needs root, iperf3, ping, python3, ip, nsenter and a JDK; builds agent-service first.
# Everything it creates (namespaces, links, pins, servers) is removed on exit, also on failure.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUNS=${RUNS:-5}
IPERF_SECONDS=${IPERF_SECONDS:-5}
POLICY_ENTRIES=${POLICY_ENTRIES:-1000}
PINGS=${PINGS:-200}
RR_COUNT=${RR_COUNT:-5000}
TESTRUN_REPEAT=${TESTRUN_REPEAT:-1000000}
# ROUTING=legacy: the programs leave pod-to-pod forwarding to the node's routing stack
ROUTING=${ROUTING:-}
ID=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-5)
PREFIX="jcilium-bench-$ID"
WORK=$(mktemp -d)
RESULTS="$HERE/results"
PIDS=()
NAMESPACES=()

for tool in ip nsenter iperf3 ping python3 java; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing (run scripts/setup.sh)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench: must run as root (network namespaces, BPF)" >&2; exit 1; }

cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  # the servers run as children of backgrounded subshells: end whatever still runs in our namespaces
  for ns in "${NAMESPACES[@]:-}"; do
    [ -n "$ns" ] || continue
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  done
  sleep 0.2
  for ns in "${NAMESPACES[@]:-}"; do [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "/sys/fs/bpf/$PREFIX" "$WORK"
}
trap cleanup EXIT

in_ns() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }

# topology <tag> <subnet-prefix>: node jcbn<tag>-ID, pods jcb<tag>a/b-ID with .1 and .2
topology() {
  local tag=$1 net=$2 node="jcbn$1-$ID"
  ip netns add "$node"; NAMESPACES+=("$node")
  in_ns "$node" ip link set lo up
  in_ns "$node" ip addr add 169.254.1.1/32 dev lo
  in_ns "$node" sysctl -qw net.ipv4.ip_forward=1
  local i=1
  for pod in a b; do
    local ns="jcb$tag$pod-$ID" hostif="lx$tag$pod$ID"
    ip netns add "$ns"; NAMESPACES+=("$ns")
    ip link add "$hostif" netns "$node" type veth peer name eth0 netns "$ns"
    in_ns "$ns" ip link set lo up
    in_ns "$ns" ip addr add "$net.$i/32" dev eth0
    in_ns "$ns" ip link set eth0 up
    in_ns "$ns" ip route add 169.254.1.1 dev eth0 scope link
    in_ns "$ns" ip route add default via 169.254.1.1 dev eth0
    in_ns "$node" ip link set "$hostif" up
    in_ns "$node" sysctl -qw "net.ipv4.conf.$hostif.proxy_arp=1" "net.ipv4.conf.$hostif.forwarding=1" \
      "net.ipv4.neigh.$hostif.proxy_delay=0"
    in_ns "$node" ip route add "$net.$i/32" dev "$hostif"
    i=$((i + 1))
  done
  in_ns "jcb${tag}b-$ID" iperf3 -s -B "$net.2" >/dev/null 2>&1 & PIDS+=($!)
  in_ns "jcb${tag}b-$ID" python3 "$HERE/tcp_rr.py" server "$net.2" 7000 >/dev/null 2>&1 & PIDS+=($!)
}

echo "bench: building agent-service (bpf objects, test classes, classpath)"
# One reactor run: modules never installed (identity-client) resolve from the reactor; the
# last module written to cp.txt is agent-service.
(cd "$ROOT" && ./mvnw -q -o -pl agent-service -am test-compile dependency:build-classpath -Dcheckstyle.skip \
  -Dspring-javaformat.skip -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null)
CP="$ROOT/agent-service/target/test-classes:$ROOT/agent-service/target/classes:$(cat "$WORK/cp.txt")"

topology base 10.201.0
topology bpf 10.202.0
java -cp "$CP" io.jcilium.agent.datapath.bench.DatapathBenchTool attach "$PREFIX" "jcbnbpf-$ID" \
  "jcbbpfa-$ID" "lxbpfa$ID" 10.202.0.1 "jcbbpfb-$ID" "lxbpfb$ID" 10.202.0.2 "$POLICY_ENTRIES" $ROUTING
sleep 1

iperf_gbps() { # <tag> <net>
  in_ns "jcb$1a-$ID" iperf3 -c "$2.2" -t "$IPERF_SECONDS" -J \
    | python3 -c 'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))'
}
ping_ms() { # <tag> <net>: mean RTT of PINGS pings
  in_ns "jcb$1a-$ID" ping -n -q -c "$PINGS" -i 0.005 "$2.2" | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p'
}
rr_us() { # <tag> <net>: median TCP request/response round trip
  in_ns "jcb$1a-$ID" python3 "$HERE/tcp_rr.py" client "$2.2" 7000 "$RR_COUNT"
}

declare -A SAMPLES
for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) = 1 ]; then order="base bpf"; else order="bpf base"; fi
  for tag in $order; do
    net=10.201.0; [ "$tag" = bpf ] && net=10.202.0
    SAMPLES[$tag.iperf]+="$(iperf_gbps $tag $net) "
    SAMPLES[$tag.ping]+="$(ping_ms $tag $net) "
    SAMPLES[$tag.rr]+="$(rr_us $tag $net) "
  done
  echo "bench: run $run/$RUNS done"
done

median() { python3 -c 'import statistics,sys; print("%.3f" % statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
mkdir -p "$RESULTS"
OUT="$RESULTS/$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "datapath benchmark $(date -u +%FT%TZ), kernel $(uname -r), $(nproc) CPUs, runs=$RUNS interleaved," \
    "iperf3 ${IPERF_SECONDS}s, $PINGS pings, $RR_COUNT TCP RR, policy map $POLICY_ENTRIES entries"
  for metric in iperf ping rr; do
    b=$(median ${SAMPLES[base.$metric]}); p=$(median ${SAMPLES[bpf.$metric]})
    case $metric in iperf) unit="Gbit/s TCP throughput";; ping) unit="ms ping RTT (mean of each run)";; rr) unit="us TCP RR (median of each run)";; esac
    printf '%-34s baseline %9s  bpf %9s  bpf/baseline %s\n' "$unit" "$b" "$p" \
      "$(python3 -c "print('%.3f' % ($p/$b))")"
    echo "  samples baseline: ${SAMPLES[base.$metric]}"
    echo "  samples bpf:      ${SAMPLES[bpf.$metric]}"
  done
  echo "BPF_PROG_TEST_RUN per-packet cost (policy map $POLICY_ENTRIES entries, $TESTRUN_REPEAT repeats):"
  java -cp "$CP" io.jcilium.agent.datapath.bench.DatapathBenchTool testrun "$POLICY_ENTRIES" "$TESTRUN_REPEAT"
} | tee "$OUT"
echo "bench: results in $OUT"
