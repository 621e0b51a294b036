#!/usr/bin/env bash
# Sets up the machine, builds, starts Redis and every service, and shows them working
# through the admin console. Stops everything cleanly at the end, or on Ctrl-C.
#   scripts/demo.sh           run the demo and stop
#   scripts/demo.sh --keep    keep everything running until Ctrl-C
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_root "scripts/demo.sh"
cd "$REPO_ROOT"

keep=false
[ "${1:-}" = "--keep" ] && keep=true

bash scripts/setup.sh

log "building (./mvnw -B -DskipTests install)"
./mvnw -B -q -DskipTests install

DEMO_DIR=${DEMO_DIR:-$REPO_ROOT/.demo}
mkdir -p "$DEMO_DIR/logs" "$DEMO_DIR/redis"
pids=()

stop_all() {
  trap - EXIT INT TERM
  log "stopping services"
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    # Graceful shutdown first; a process still alive after 30 s is killed.
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  log "stopped; logs are in $DEMO_DIR/logs"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

REDIS_PORT=${REDIS_PORT:-6390}
log "starting redis-server on 127.0.0.1:$REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DEMO_DIR/redis" --save "" --appendonly no \
  > "$DEMO_DIR/logs/redis.log" 2>&1 &
pids+=($!)

# Quick-starting JVMs: the demo favours start-up time over peak throughput.
JAVA_OPTS=${JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k}

start_service() { # name http-port
  local name=$1 jar
  jar=$(ls "$name"/target/"$name"-*.jar | grep -v original | head -n 1)
  log "starting $name (http :$2)"
  # shellcheck disable=SC2086
  SPRING_DATA_REDIS_PORT=$REDIS_PORT java $JAVA_OPTS -jar "$jar" > "$DEMO_DIR/logs/$name.log" 2>&1 &
  pids+=($!)
}

start_service identity-service 8281
start_service ipam-service 8282
start_service operator-service 9963
start_service agent-service 9962
start_service bgp-service 8283
start_service relay-service 8284

for port in 8281 8282 9963 9962 8283 8284; do
  if ! wait_http "http://127.0.0.1:$port/actuator/health" 180; then
    log "a service on port $port did not come up; see $DEMO_DIR/logs"
    exit 1
  fi
done
log "all services answer; asking the console for their health"

bash scripts/cli.sh status || true

log "policy: who may reach whom under examples/policy-trace (offline trace, no service needed)"
bash scripts/cli.sh policy trace --offline --policies examples/policy-trace/policies \
  --pods examples/policy-trace/pods.yaml --ports 8080/TCP,9090/TCP || true

if $keep; then
  log "running; press Ctrl-C to stop"
  wait
fi
