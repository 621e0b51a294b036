#!/usr/bin/env bash
# Identity allocation benchmark: new-identity allocations per second and p50/p99 latency
# over gRPC against a real Redis, next to the raw Redis round-trip rate measured in the
# same run at the same concurrency (redis-benchmark PING), and their ratio.
#
# Usage: bench/identity/run.sh [clients] [measured allocations] [warmup calls] [connections]
# Defaults: 50 clients (one call in flight each) multiplexed over 5 gRPC connections, 50000
# measured new allocations and 60000 warm-up calls (5000 new label sets, then the same ones
# again, so the warm-up compiles both JVMs without using up the range 256-65535), followed
# by rounds of 20000 more while the JIT compilers still take over 5% of the client's and
# the service's CPU (at most 15 rounds; a busy machine leaves them far behind).
# The client runs on the same machine and competes for its cores: one connection per client
# costs the client more CPU than the server saves, so the default shares 5 connections.
# Also printed: the gRPC-only ceiling (lookups of a reserved identity, no Redis) at the same
# concurrency, to tell the cost of the gRPC stack from the cost of allocation, and the CPU
# time per call of the client, the service and Redis (they share the machine's cores).
# REDIS_APPENDFSYNC sets Redis' appendfsync (everysec by default; the chart uses always).
# SERVICE_ARGS adds arguments to the service's command line (e.g. to try a setting);
# SERVICE_JAVA_OPTS and CLIENT_JAVA_OPTS replace the JVM options of the service and of the
# client.
# Needs: redis-server and redis-benchmark (Debian's redis-server, see scripts/setup.sh), Java 17.
set -euo pipefail

CLIENTS=${1:-50}
MEASURED=${2:-50000}
WARMUP=${3:-60000}
CONNECTIONS=${4:-5}
FLOOR_ALLOCS=5000
FLOOR_RATIO=0.20

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Plaintext gRPC, the development setting, as every script sets it (scripts/lib.sh).
source "$ROOT/scripts/lib.sh"
WORK=$(mktemp -d -t jcilium-identity-bench-XXXXXX)
REDIS_PID=""
SERVICE_PID=""
cleanup() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in redis-server redis-benchmark java; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed (run scripts/setup.sh)" >&2; exit 1; }
done

wait_port() { # port seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

echo "bench: building identity-service"
# One reactor run: its test dependency identity-client is never installed, only built here.
(cd "$ROOT" && ./mvnw -B -q -o -pl identity-service -am package dependency:build-classpath -DskipTests \
  -Djacoco.skip=true -Dmdep.outputFile="$WORK/classpath" -Dmdep.includeScope=test >/dev/null)
JAR=$(ls "$ROOT"/identity-service/target/identity-service-*-exec.jar | head -1)

free_port REDIS_PORT
# Append-only file. REDIS_APPENDFSYNC=always is what the Helm chart ships (no acknowledged
# allocation lost when Redis is killed); everysec (the default here, as in the earlier
# figures) syncs once a second.
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" --appendonly yes \
  --appendfsync "${REDIS_APPENDFSYNC:-everysec}" \
  --save "" --daemonize no --logfile "$WORK/redis.log" &
REDIS_PID=$!
wait_port "$REDIS_PORT" 15 || { echo "bench: redis-server did not start" >&2; exit 1; }

free_port GRPC_PORT
echo "bench: starting identity-service (gRPC $GRPC_PORT, Redis $REDIS_PORT)"
# The benchmark's 10 nodes hold up to ~60000 identities, all in one namespace: the per-node and
# per-namespace limits stay on (their checks are part of the cost measured), set above that.
java ${SERVICE_JAVA_OPTS:--Xms256m -Xmx512m} -jar "$JAR" --spring.data.redis.port="$REDIS_PORT" \
  --spring.grpc.server.port="$GRPC_PORT" --server.port=0 --spring.main.cloud-platform=none \
  --logging.level.root=WARN \
  --jcilium.identity.allocation.max-identities-per-node=65536 \
  --jcilium.identity.allocation.max-identities-per-namespace=65536 ${SERVICE_ARGS:-} >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
wait_port "$GRPC_PORT" 180 || { echo "bench: identity-service did not start:" >&2; tail -30 "$WORK/service.log" >&2; exit 1; }

echo "bench: raw Redis round trips (redis-benchmark PING, $CLIENTS clients)"
RAW=$(redis-benchmark -p "$REDIS_PORT" -c "$CLIENTS" -n 200000 -t ping -q 2>/dev/null | tr '\r' '\n' \
  | awk '/PING_MBULK/ {print $2}' | tail -1)

echo "bench: $WARMUP warmup + $MEASURED measured new-identity allocations over gRPC, $CLIENTS clients on $CONNECTIONS connections"
java ${CLIENT_JAVA_OPTS:-} -cp "$ROOT/identity-service/target/test-classes:$ROOT/identity-service/target/classes:$(cat "$WORK/classpath")" \
  io.jcilium.identity.bench.AllocationBenchmark 127.0.0.1 "$GRPC_PORT" "$CLIENTS" "$WARMUP" "$MEASURED" "$CONNECTIONS" "$SERVICE_PID" "$REDIS_PID" | tee "$WORK/result"

echo "bench: raw Redis again, after the allocations (the machine's load moves)"
RAW_AFTER=$(redis-benchmark -p "$REDIS_PORT" -c "$CLIENTS" -n 200000 -t ping -q 2>/dev/null | tr '\r' '\n' \
  | awk '/PING_MBULK/ {print $2}' | tail -1)

ALLOCS=$(awk -F= '/^allocs_per_second=/ {print $2}' "$WORK/result")
P50=$(awk -F= '/^p50_ms=/ {print $2}' "$WORK/result")
P99=$(awk -F= '/^p99_ms=/ {print $2}' "$WORK/result")
GRPC_ONLY=$(awk -F= '/^grpc_only_lookups_per_second=/ {print $2}' "$WORK/result")
cpu() { awk -F= -v k="$1" '$1 == k {print $2}' "$WORK/result"; }
RAW_MEAN=$(awk -v a="$RAW" -v b="$RAW_AFTER" 'BEGIN {printf "%.0f", (a + b) / 2}')
RATIO=$(awk -v a="$ALLOCS" -v r="$RAW_MEAN" 'BEGIN {printf "%.3f", a / r}')

echo
echo "identity allocation benchmark ($CLIENTS concurrent clients on $CONNECTIONS connections, Redis appendfsync ${REDIS_APPENDFSYNC:-everysec}, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  %-44s %12s\n' "warm-up calls (JIT share of its last round)" "$(cpu warmup_calls) ($(cpu warmup_last_round_jit_share))"
printf '  %-44s %12s\n' "new-identity allocations/s over gRPC" "$ALLOCS"
printf '  %-44s %12s\n' "allocation latency p50 (ms)" "$P50"
printf '  %-44s %12s\n' "allocation latency p99 (ms)" "$P99"
printf '  %-44s %12s\n' "gRPC-only lookups/s (no Redis), same clients" "$GRPC_ONLY"
printf '  %-44s %12s\n' "CPU us per allocation: client/service/Redis" \
  "$(cpu alloc_client_cpu_us_per_call) / $(cpu alloc_service_cpu_us_per_call) / $(cpu alloc_redis_cpu_us_per_call)"
printf '  %-44s %12s\n' "  of which JIT compiling: client/service" \
  "$(cpu alloc_client_jit_cpu_us_per_call) / $(cpu alloc_service_jit_cpu_us_per_call)"
printf '  %-44s %12s\n' "CPU us per lookup: client/service" \
  "$(cpu lookup_client_cpu_us_per_call) / $(cpu lookup_service_cpu_us_per_call)"
printf '  %-44s %12s\n' "raw Redis PING round trips/s (before/after)" "$RAW / $RAW_AFTER"
printf '  %-44s %12s\n' "ratio allocations / raw round trips" "$RATIO"
STATUS=0
awk -v a="$ALLOCS" -v f="$FLOOR_ALLOCS" 'BEGIN {exit !(a >= f)}' \
  && echo "  floor >= $FLOOR_ALLOCS allocs/s: met" || { echo "  floor >= $FLOOR_ALLOCS allocs/s: MISSED"; STATUS=1; }
awk -v r="$RATIO" -v f="$FLOOR_RATIO" 'BEGIN {exit !(r >= f)}' \
  && echo "  floor >= ${FLOOR_RATIO} of raw Redis: met" || { echo "  floor >= ${FLOOR_RATIO} of raw Redis: MISSED"; STATUS=1; }
exit $STATUS
