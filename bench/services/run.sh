#!/usr/bin/env bash
# Service LB benchmark (issue 15), eBPF side: ClusterIP services with 5 backends each,
# programmed through the agent's LbProgrammer into the LB maps, reached from a pod through
# socket LB (bpf_sock.o on a private test cgroup). Prints, per number of services,
# connect() p50/p99 to the first and the last service created, to a backend pod directly
# (the floor; rounds alternate between the three), the time to program one service
# change, and requests/s through the last service against the backend pod directly (a
# connection per request, and all on one connection; rounds alternate, ratio printed).
# Then the tc LB of traffic from outside (bpf_host.o's from_netdev through BPF_PROG_TEST_RUN): per-packet cost of a
# new connection and of an established one to the first and last LoadBalancer service,
# random and Maglev (MAGLEV_M, default 1021), and one change with the table computed.
# Last, the same ClusterIP figures with kube-proxy 1.28 shaped iptables rules (KUBE-SERVICES,
# KUBE-SVC-*, KUBE-SEP-* with the statistic fan-out) loaded with iptables-restore --noflush
# into the node namespace, with iptables-legacy and with iptables-nft, each row printing
# eBPF's last-service connect p50, one-change time and requests/s as a ratio of that
# backend's. Every iptables-restore is bounded by IPT_DEADLINE seconds: a full sync that
# does not finish is reported as such and that backend's larger sizes are skipped.
#
#   sudo bench/services/run.sh            (SIZES=10,1000,10000 CONNECTS=2000 CHANGES=51
#                                          IPT_CHANGES=5 IPT_DEADLINE=900 RPS_ROUNDS=5
#                                          RPS_SECONDS=1; IPTABLES=0 skips the comparison)
#
# A full nft sync at 10,000 services takes minutes: the iptables part is the long one.
# Needs root, python3, ip, nsenter, iptables and a JDK; builds agent-service's test classes first.
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

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$CP" io.jcilium.agent.datapath.lb.ServiceLbBench "$SIZES" "$CONNECTS" "$CHANGES" "${RPS_ROUNDS:-5}" \
  "${RPS_SECONDS:-1}" | tee "$WORK/ebpf.txt"
echo
java -cp "$CP" io.jcilium.agent.datapath.lb.HostLbBench "$SIZES" "${MAGLEV_M:-1021}"
if [ "${IPTABLES:-1}" != 0 ]; then
  java -cp "$CP" io.jcilium.agent.datapath.lb.IptablesServiceBench "$SIZES" "$CONNECTS" "${IPT_CHANGES:-5}" \
    "$WORK/ebpf.txt" "${IPT_DEADLINE:-900}" "${RPS_ROUNDS:-5}" "${RPS_SECONDS:-1}"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
