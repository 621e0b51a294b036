#!/usr/bin/env bash
# Policy engine benchmark (issue 5): full computation for 1,000 endpoints, 10,000 identities and
# 1,000 rules, the incremental update when one identity selected by 10% of the selectors is
# added, and their ratio. Plain harness: io.jcilium.common.policy.bench.PolicyBenchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl common -am test-compile -Dcheckstyle.skip "$@"
./mvnw -B -q -pl common exec:java -Dexec.mainClass=io.jcilium.common.policy.bench.PolicyBenchmark \
	-Dexec.classpathScope=test "$@"
