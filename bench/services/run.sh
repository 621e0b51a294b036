#!/usr/bin/env bash
# Service LB benchmark (issue 15), eBPF side: ClusterIP services with 5 backends each,
# programmed through the agent's LbProgrammer into the LB maps, reached from a pod through
# socket LB (bpf_sock.o on a private test cgroup). Prints, per number of services,
# connect() p50/p99 to the first and the last service created, to a backend pod directly
# (the floor), and the time to program one service change. Then the tc LB of traffic
# from outside (bpf_host.o's from_netdev through BPF_PROG_TEST_RUN): per-packet cost of a
# new connection and of an established one to the first and last LoadBalancer service,
# random and Maglev (MAGLEV_M, default 1021), and one change with the table computed.
#
#   sudo bench/services/run.sh            (SIZES=10,1000,10000 CONNECTS=2000 CHANGES=51)
#
# Not yet here: the kube-proxy-shaped iptables rules (legacy and nft) the issue compares
# against, and requests/s through a ClusterIP.
# Needs root, python3, ip, nsenter and a JDK; builds agent-service's test classes first.
# Everything it creates (namespaces, cgroup, attachments) is removed on exit.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SIZES=${SIZES:-10,1000,10000}
CONNECTS=${CONNECTS:-2000}
CHANGES=${CHANGES:-51}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for tool in ip nsenter python3 java; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing (run scripts/setup.sh)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench: must run as root (network namespaces, BPF, cgroups)" >&2; exit 1; }

echo "bench: building agent-service (bpf objects, test classes, classpath)"
(cd "$ROOT" && ./mvnw -q -o -pl agent-service -am test-compile dependency:build-classpath -Dcheckstyle.skip \
  -Dspring-javaformat.skip -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null)
CP="$ROOT/agent-service/target/test-classes:$ROOT/agent-service/target/classes:$(cat "$WORK/cp.txt")"

java -cp "$CP" io.jcilium.agent.datapath.lb.ServiceLbBench "$SIZES" "$CONNECTS" "$CHANGES"
echo
java -cp "$CP" io.jcilium.agent.datapath.lb.HostLbBench "$SIZES" "${MAGLEV_M:-1021}"
