#!/usr/bin/env bash
# Console one-shot benchmark: wall time and CPU (user+sys) of a whole `jcilium` process,
# median of RUNS (default 5), for
#   status          agent (HTTP health) and identity-service (HTTP health + gRPC health)
#   endpoint list   100 endpoints from the agent's API, labels from identity-service (List)
#   policy trace    --offline over examples/policy-trace (no service)
# next to the floor nobody can beat: curl on the same HTTP API (status: the two health
# URLs; endpoint list: the agent's list), and for each JVM step:
#   java17-cds      Java 17 with a CDS archive (what scripts/cli.sh did before issue 19,
#                   on the lean context)
#   java25-aot      Java 25 with an AOT cache (scripts/jcilium's default when installed);
#                   one-shot commands run without a Spring context (OneShotConsole)
#   java25-aot-context  the same with -Djcilium.cli.fast-one-shot=false: every command in
#                   a Spring context, as before the one-shot path
#   before          BEFORE_JAR, if set: a console jar from before issue 19 (e.g. main's),
#                   run the old way (Java 17, CDS archive, full auto-configuration);
#                   `endpoint list` did not exist there
#
# What runs: a real Redis and identity-service (built here if missing); the agent is a
# small HTTP server answering GET /actuator/endpointpolicy with 100 endpoints in the agent's
# JSON (the shape EndpointPolicyEndpointTest pins) and /actuator/health UP. The endpoints
# carry reserved identities (1-8), which identity-service answers from its static table,
# so their labels resolve without allocating.
# `status` gets --timeout 10s: on a loaded machine a cold JVM's first gRPC call can take
# longer than the default 2 s, and a timed-out check would make the run fail.
# CLI_JAR / ID_JAR: the console and identity-service jars to use (default: this checkout's).
# Usage: bench/console/run.sh [RUNS]    Needs: redis-server, python3, curl, java (17; 25 optional)
set -euo pipefail

RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Plaintext gRPC, the development setting, as every script sets it (scripts/lib.sh).
source "$ROOT/scripts/lib.sh"
WORK=$(mktemp -d -t jcilium-console-bench-XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in redis-server python3 curl java; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed (run scripts/setup.sh)" >&2; exit 1; }
done
wait_port() { # port seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

CLI_JAR=${CLI_JAR:-$(ls "$ROOT"/cli-shell/target/cli-shell-*.jar 2>/dev/null | grep -v -e '-plain' -e '-sources' | head -1 || true)}
ID_JAR=${ID_JAR:-$(ls "$ROOT"/identity-service/target/identity-service-*-exec.jar 2>/dev/null | head -1 || true)}
if [ -z "$CLI_JAR" ] || [ -z "$ID_JAR" ]; then
  echo "bench: building cli-shell and identity-service"
  (cd "$ROOT" && ./mvnw -B -q -pl cli-shell,identity-service -am package -DskipTests -Djacoco.skip=true >/dev/null)
  CLI_JAR=$(ls "$ROOT"/cli-shell/target/cli-shell-*.jar | grep -v -e '-plain' -e '-sources' | head -1)
  ID_JAR=$(ls "$ROOT"/identity-service/target/identity-service-*-exec.jar | head -1)
fi

free_port REDIS_PORT
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
wait_port "$REDIS_PORT" 15 || { echo "bench: redis-server did not start" >&2; exit 1; }

free_port ID_GRPC ID_HTTP
echo "bench: starting identity-service (HTTP $ID_HTTP, gRPC $ID_GRPC, Redis $REDIS_PORT)"
java -Xms64m -Xmx256m -jar "$ID_JAR" --spring.data.redis.port="$REDIS_PORT" --spring.grpc.server.port="$ID_GRPC" \
  --server.port="$ID_HTTP" --spring.main.cloud-platform=none >"$WORK/identity.log" 2>&1 &
PIDS+=($!)

free_port AGENT_HTTP
cat >"$WORK/agent.py" <<'PY'
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
states = ["ready"] * 9 + ["waiting-for-identity"]
endpoints = [{"endpointId": i, "containerId": "%064x" % i, "podNamespace": "ns%d" % (i % 7),
              "podName": "pod-%d" % i, "ipv4": "10.0.%d.%d" % (i // 250, i % 250 + 2),
              "identity": 0 if states[i % 10] != "ready" else 1 + i % 8, "state": states[i % 10],
              "stateReason": None, "ingressEnforced": (i % 3 == 0) if states[i % 10] == "ready" else None,
              "egressEnforced": False if states[i % 10] == "ready" else None} for i in range(1, 101)]
bodies = {"/actuator/endpointpolicy": json.dumps(endpoints).encode(),
          "/actuator/health": b'{"status":"UP"}'}
class Agent(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = bodies.get(self.path)
        self.send_response(200 if body else 404)
        body = body or b'{"message":"no route"}'
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Agent).serve_forever()
PY
python3 "$WORK/agent.py" "$AGENT_HTTP" &
PIDS+=($!)
wait_port "$AGENT_HTTP" 15 || { echo "bench: the agent stand-in did not start" >&2; exit 1; }
wait_port "$ID_GRPC" 180 || { echo "bench: identity-service did not start:" >&2; tail -30 "$WORK/identity.log" >&2; exit 1; }
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$ID_HTTP/actuator/health" >/dev/null && break
  sleep 0.5
done

PROPS=(--jcilium.services.agent.url="http://127.0.0.1:$AGENT_HTTP" --jcilium.services.agent.grpc=
  --jcilium.services.identity.url="http://127.0.0.1:$ID_HTTP" --jcilium.services.identity.grpc="127.0.0.1:$ID_GRPC")
TRACE=(policy trace --offline --policies "$ROOT/examples/policy-trace/policies"
  --pods "$ROOT/examples/policy-trace/pods.yaml" --ports 8080/TCP,9090/TCP)

# median of the runs' "wall cpu" pairs, each sorted on its own
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
measure() { # label command...
  local label=$1
  shift
  "$@" >"$WORK/out" 2>"$WORK/err" || { echo "bench: '$label' failed:" >&2; cat "$WORK/out" "$WORK/err" >&2; exit 1; }
  : >"$WORK/times"
  for _ in $(seq 1 "$RUNS"); do
    /usr/bin/time -f '%e %U %S' -o "$WORK/time" "$@" >/dev/null 2>&1
    cat "$WORK/time" >>"$WORK/times"
  done
  WALL[$label]=$(awk '{print $1}' "$WORK/times" | median)
  CPU[$label]=$(awk '{print $2 + $3}' "$WORK/times" | median)
  printf '%-34s wall %6.2f s   cpu %6.2f s\n' "$label" "${WALL[$label]}" "${CPU[$label]}"
}
declare -A WALL CPU
ratio() { # label baseline-label: wall and CPU, "-" where the baseline rounds to 0
  [ -n "${WALL[$1]:-}" ] && [ -n "${WALL[$2]:-}" ] &&
    awk -v w="${WALL[$1]}" -v bw="${WALL[$2]}" -v c="${CPU[$1]}" -v bc="${CPU[$2]}" -v l="$1" -v m="$2" \
      'function r(a, b) { return (b > 0) ? sprintf("%.1fx", a / b) : "-" }
       BEGIN { printf "  %s / %s: wall %s, cpu %s\n", l, m, r(w, bw), r(c, bc) }'
}

echo "console one-shot, median of $RUNS ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
measure "curl status (2 health URLs)" bash -c "curl -sf http://127.0.0.1:$AGENT_HTTP/actuator/health >/dev/null && curl -sf http://127.0.0.1:$ID_HTTP/actuator/health >/dev/null"
measure "curl endpoint list (100)" curl -sf "http://127.0.0.1:$AGENT_HTTP/actuator/endpointpolicy"

run_variant() { # name java cache [java-options]
  local name=$1 java=$2
  export JCILIUM_JAVA=$java JCILIUM_CLI_CACHE="$WORK/cache-$3" JCILIUM_CLI_JAR="$CLI_JAR" JAVA_OPTS="${4:-}"
  "$ROOT/scripts/jcilium" --version >/dev/null 2>&1 # prepares the cache
  measure "$name status" "$ROOT/scripts/jcilium" "${PROPS[@]}" status agent identity --timeout 10s
  measure "$name endpoint list (100)" "$ROOT/scripts/jcilium" "${PROPS[@]}" endpoint list
  measure "$name policy trace --offline" "$ROOT/scripts/jcilium" "${TRACE[@]}"
  unset JCILIUM_JAVA JCILIUM_CLI_CACHE JCILIUM_CLI_JAR JAVA_OPTS
}
run_variant java17-cds "$(command -v java)" java17
java25=$(ls -d /usr/lib/jvm/temurin-2[5-9]-*/bin/java /usr/lib/jvm/*-2[5-9]-*/bin/java 2>/dev/null | head -1 || true)
if [ -n "$java25" ]; then
  run_variant java25-aot "$java25" java25
  # The same jar, JVM and cache, each command in a Spring context as before the one-shot
  # path: the step's own baseline, measured in the same run.
  run_variant java25-aot-context "$java25" java25 -Djcilium.cli.fast-one-shot=false
else
  echo "java25-aot: no Java 25+ under /usr/lib/jvm, skipped"
fi

echo "ratios of medians (load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
ratio "java25-aot status" "curl status (2 health URLs)" || true
ratio "java25-aot endpoint list (100)" "curl endpoint list (100)" || true
for command in "status" "endpoint list (100)" "policy trace --offline"; do
  ratio "java25-aot $command" "java25-aot-context $command" || true
done

if [ -n "${BEFORE_JAR:-}" ]; then
  # The launcher of the time: extract, CDS archive from a training run of `status`, C1 only.
  mkdir -p "$WORK/before"
  java -Djarmode=tools -jar "$BEFORE_JAR" extract --destination "$WORK/before/app" >/dev/null
  before_jar="$WORK/before/app/$(basename "$BEFORE_JAR")"
  java -XX:ArchiveClassesAtExit="$WORK/before/cli.jsa" -XX:TieredStopAtLevel=1 -jar "$before_jar" \
    --jcilium.cli.status.timeout=1s status >/dev/null 2>&1 || true
  before=(java -XX:SharedArchiveFile="$WORK/before/cli.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off
    -XX:TieredStopAtLevel=1 -jar "$before_jar")
  measure "before status" "${before[@]}" "${PROPS[@]}" status agent identity --timeout 10s
  measure "before policy trace --offline" "${before[@]}" "${TRACE[@]}"
fi
