#!/usr/bin/env bash
# bench/ipam: node CIDR allocations/s against a real Redis and pod IP allocations/s in the
# agent allocator (agent-service). Starts its own redis-server on a free port in a temporary directory and
# removes both on exit. Usage: bench/ipam/run.sh (from anywhere; builds ipam-service first).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
command -v redis-server >/dev/null || { echo "bench/ipam needs redis-server (apt-get install redis-server)" >&2; exit 1; }

cd "$root"
# Classpaths are resolved inside the reactor (-am): the modules' siblings are never
# installed, so a lone -pl build cannot resolve them.
./mvnw -B -q -pl ipam-service -am test-compile dependency:build-classpath -Dcheckstyle.skip \
	-Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
classpath="ipam-service/target/test-classes:ipam-service/target/classes:common/target/classes:api/target/classes:$(cat ipam-service/target/bench-classpath.txt)"

workdir="$(mktemp -d -t jcilium-bench-ipam-XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
redis-server --port "$port" --bind 127.0.0.1 --dir "$workdir" --save "" --appendonly no --daemonize no \
	>"$workdir/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; rm -rf "$workdir"' EXIT
for _ in $(seq 100); do
	redis-cli -p "$port" ping >/dev/null 2>&1 && break
	sleep 0.1
done

echo "bench/ipam on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), redis $(redis-server --version | awk '{print $3}')"
java -Xms256m -Xmx512m -cp "$classpath" io.jcilium.ipam.bench.IpamBenchmark "$port"

# Pod IPs are allocated by the agent: its allocator has its own benchmark there.
./mvnw -B -q -pl agent-service -am test-compile dependency:build-classpath -Dcheckstyle.skip \
	-Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -Xms256m -Xmx512m \
	-cp "agent-service/target/test-classes:agent-service/target/classes:common/target/classes:api/target/classes:$(cat agent-service/target/bench-classpath.txt)" \
	io.jcilium.agent.ipam.PodIpBenchmark

# LB-IPAM lives in the operator (as upstream's does): time its planner over 5,000 services.
./mvnw -B -q -pl operator-service -am test-compile dependency:build-classpath -Dcheckstyle.skip \
	-Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -Xms256m -Xmx512m \
	-cp "operator-service/target/test-classes:operator-service/target/classes:common/target/classes:api/target/classes:$(cat operator-service/target/bench-classpath.txt)" \
	io.jcilium.operator.lbipam.LbIpamBenchmark
