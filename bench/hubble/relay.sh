#!/usr/bin/env bash
# Relay benchmark (issue 14): merged flows/s through the whole relay-service across
# simulated nodes (gRPC servers in the benchmark's JVM), against the same client reading the
# same streams straight from the nodes, unmerged; a last untimed round checks the merged
# count and time order. Arguments: flows per agent (50000), agents (4), rounds (3).
# Harness: io.jcilium.relay.bench.RelayBenchmark in relay-service's test classes.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl relay-service -am test-compile dependency:build-classpath -Dcheckstyle.skip \
	-Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -cp "relay-service/target/test-classes:relay-service/target/classes:$(cat relay-service/target/bench-classpath.txt)" \
	io.jcilium.relay.bench.RelayBenchmark "${1:-50000}" "${2:-4}" "${3:-3}"
