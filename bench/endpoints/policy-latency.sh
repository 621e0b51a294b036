#!/usr/bin/env bash
# Policy-change-to-enforced latency (issue 8, point 8), measured by real packets: two pod
# namespaces behind a node namespace driven through the agent's endpoint datapath and
# policy cell; CHANGES policy updates alternately allow and deny TCP 8081, each followed,
# once the agent reports the change's policy revision in every endpoint's map, by a new
# connection; then CHANGES/2 allows probed at once, without that wait (a client racing the
# asynchronous map write). Prints p50/p99 against the same probe without a change.
#
#   sudo bench/endpoints/policy-latency.sh        (CHANGES=50 WARMUP=10)
#
# Needs root, ip, nsenter and a JDK; builds agent-service's test classes first. The Java
# tool removes its namespaces and pins on exit, also on failure or Ctrl-C.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CHANGES=${CHANGES:-50}
WARMUP=${WARMUP:-10}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for tool in ip nsenter java; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing (run scripts/setup.sh)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench: must run as root (network namespaces, BPF)" >&2; exit 1; }

echo "bench: building agent-service (bpf objects, test classes, classpath)"
# One reactor run: modules never installed (identity-client) resolve from the reactor; the
# last module written to cp.txt is agent-service.
(cd "$ROOT" && ./mvnw -q -o -pl agent-service -am test-compile dependency:build-classpath -Dcheckstyle.skip \
  -Dspring-javaformat.skip -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null)
CP="$ROOT/agent-service/target/test-classes:$ROOT/agent-service/target/classes:$(cat "$WORK/cp.txt")"

echo "bench: $CHANGES policy changes after $WARMUP warm-up changes"
java -cp "$CP" io.jcilium.agent.datapath.endpoint.PolicyLatencyBench "$CHANGES" "$WARMUP"
