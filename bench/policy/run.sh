#!/usr/bin/env bash
# Policy engine benchmark (issue 5): full computation for 1,000 endpoints, 10,000 identities and
# 1,000 rules, the incremental update when one identity selected by 10% of the selectors is
# added, and their ratio. Plain harness: io.jcilium.common.policy.bench.PolicyBenchmark.
# The classpath is resolved inside the reactor (-am): common's tests depend on test-support,
# which is never installed, so a lone `-pl common` build cannot resolve it.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl common -am test-compile dependency:build-classpath -Dcheckstyle.skip \
	-Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test "$@"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "common/target/test-classes:common/target/classes:$(cat common/target/bench-classpath.txt)" \
	io.jcilium.common.policy.bench.PolicyBenchmark
