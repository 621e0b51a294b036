#!/usr/bin/env bash
# bench/bgp (as root): time for one BIRD, in its own network namespace, to receive N prefixes
# from bgp-service's speaker, from gobgpd holding the same prefixes, and from a second BIRD
# holding them as static routes, in the same run against the same BIRD, with each sender's
# CPU time. Rounds alternate ours, gobgpd's and BIRD's; per size it prints the medians and
# ours as a ratio of gobgpd's (floor: at most 1, aim: at most 1/3) and of BIRD's (aim: at
# most 1.5), time alone and time plus the sender's CPU.
# The sending BIRD is asked "show status" every 10 ms while it sends: BIRD 2.0's main loop can
# miss the transmit event its own export feed queues and sleep in poll() until its 3 s ceiling
# (rounds then take 3.0 s at any size with no CPU). The wakeups change no route or session and
# cost BIRD CPU that is counted against it (BgpBenchmark.birdSender has the details);
# BENCH_BIRD_WAKE=false runs BIRD unwoken.
# Usage: bench/bgp/run.sh [sizes...]   (default 10000 100000; -Drounds=N via BENCH_ROUNDS)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
for tool in bird birdc gobgpd gobgp ip; do
	command -v "$tool" >/dev/null || { echo "bench/bgp needs $tool: run scripts/setup.sh" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench/bgp needs root (network namespaces)" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

cd "$root"
./mvnw -B -q -pl bgp-service -am test-compile dependency:build-classpath -Dcheckstyle.skip \
	-Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
classpath="bgp-service/target/test-classes:bgp-service/target/classes:jobs/target/classes:common/target/classes:api/target/classes:test-support/target/classes:$(cat bgp-service/target/bench-classpath.txt)"

echo "bench/bgp on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(bird --version 2>&1 | head -1), gobgpd $(gobgpd --version | awk '{print $NF}')"
java -Xms512m -Xmx1g -Drounds="${BENCH_ROUNDS:-3}" -DbirdWake="${BENCH_BIRD_WAKE:-true}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
	-cp "$classpath" io.jcilium.bgp.interop.BgpBenchmark "${sizes[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
