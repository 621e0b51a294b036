#!/usr/bin/env bash
# Hubble benchmark (issue 14): (a) events/s one agent turns into stored, queryable flows
# without loss - the observer alone against the raw ring write rate, then bpf_lxc's events
# through the kernel ring buffer, reader, decoder, enricher, metrics and ring at increasing
# offered rates, losses counted exactly; (b) GetFlows flows/s over gRPC against a plain gRPC
# stream of the same flows built in advance; (c) the durable flow history: the observer's ingest
# with the history writer on and off, the highest offered rate it keeps without loss, and the
# rate a since call reads it back (segments in java.io.tmpdir, removed after).
# Each figure with the load average.
# Needs root (bpf_lxc is loaded and run with BPF_PROG_TEST_RUN). Optional argument: the
# milliseconds each measurement runs (default 3000), then "ingest", "getflows" or "history" for one part.
# Harness: io.jcilium.agent.hubble.HubbleBenchmark in agent-service's test classes.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl agent-service -am test-compile dependency:build-classpath -Dcheckstyle.skip \
	-Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -cp "agent-service/target/test-classes:agent-service/target/classes:$(cat agent-service/target/bench-classpath.txt)" \
	io.jcilium.agent.hubble.HubbleBenchmark "${1:-3000}" ${2:-}
