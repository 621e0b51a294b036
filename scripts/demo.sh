#!/usr/bin/env bash
# Sets up the machine, builds, starts a dev Kubernetes API server, Redis and every service,
# and shows them working through kubectl and the admin console. Stops everything cleanly at
# the end, on failure, or on Ctrl-C.
#   scripts/demo.sh           run the demo and stop
#   scripts/demo.sh --keep    keep everything running until Ctrl-C
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_root "scripts/demo.sh"
cd "$REPO_ROOT"
log "gRPC between the services and the console is plaintext in this demo: JCILIUM_TLS_ENABLED=false," \
  "the development setting scripts/lib.sh exports (the jars and the Helm chart default to mTLS)"

keep=false
[ "${1:-}" = "--keep" ] && keep=true

bash scripts/setup.sh

# package, not install: the jars are run from target/, and nothing needs them in ~/.m2.
log "building (./mvnw -B -DskipTests package)"
./mvnw -B -q -DskipTests package

DEMO_DIR=${DEMO_DIR:-$REPO_ROOT/.demo}
mkdir -p "$DEMO_DIR/logs" "$DEMO_DIR/redis"
pids=()  # the services
infra=() # what they depend on (the dev API server, Redis): stopped after them

stop_all() {
  trap - EXIT INT TERM
  log "stopping services"
  [ ${#pids[@]} -eq 0 ] || stop_processes "${pids[@]}"
  [ ${#infra[@]} -eq 0 ] || stop_processes "${infra[@]}"
  log "stopped; logs are in $DEMO_DIR/logs"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# wait_line FILE TEXT SECONDS PID: waits until FILE contains TEXT, or fails when the process dies.
wait_line() {
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$4" 2>/dev/null; then return 1; fi
    sleep 0.2
  done
}

# The dev Kubernetes API server (docs/dev-apiserver.md): kubectl and the services' fabric8
# clients talk to it through the kubeconfig it writes.
DEVAPI_PORT=${DEVAPI_PORT:-6443}
export KUBECONFIG="$DEMO_DIR/kubeconfig"
log "starting the dev Kubernetes API server on 127.0.0.1:$DEVAPI_PORT"
bash scripts/dev-apiserver.sh --port "$DEVAPI_PORT" --kubeconfig "$KUBECONFIG" \
  > "$DEMO_DIR/logs/dev-apiserver.log" 2>&1 &
infra+=($!)
if ! wait_line "$DEMO_DIR/logs/dev-apiserver.log" "dev-apiserver ready" 60 "${infra[-1]}"; then
  log "the dev API server did not start; see $DEMO_DIR/logs/dev-apiserver.log"
  exit 1
fi
log "$(grep "dev-apiserver ready" "$DEMO_DIR/logs/dev-apiserver.log")"

# kubectl keeps discovery in a cache per server address; one per demo run keeps it fresh.
kc() { kubectl --cache-dir "$DEMO_DIR/kube-cache" "$@"; }
have_kubectl=false
if command -v kubectl > /dev/null; then
  have_kubectl=true
  rm -rf "$DEMO_DIR/kube-cache"
  log "kubectl apply -f helm/jcilium/crds/   (the CRDs the build generates)"
  kc apply -f helm/jcilium/crds/
  log "kubectl apply -f examples/upstream/   (manifests from Cilium's documentation, validated by kubectl against the CRDs' schemas)"
  kc apply -f examples/upstream/
  kc get crd
  kc get cnp,ccnp,ippools -A
else
  log "kubectl is not installed: skipping the kubectl part (the services still use the dev API server)"
fi

REDIS_PORT=${REDIS_PORT:-6390}
log "starting redis-server on 127.0.0.1:$REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DEMO_DIR/redis" --save "" --appendonly no \
  > "$DEMO_DIR/logs/redis.log" 2>&1 &
infra+=($!)

# Quick-starting JVMs: the demo favours start-up time over peak throughput (scripts/lib.sh
# fast_java: Java 25's AOT cache when installed, C1, serial GC, small heap).
JAVA_OPTS=${JAVA_OPTS:-$FAST_JAVA_DEFAULT_OPTS}

start_service() { # name http-port
  local name=$1 jar
  jar=$(runnable_jar "$name")
  log "starting $name (http :$2)"
  local opts
  read -r -a opts <<< "$JAVA_OPTS"
  fast_java "$jar" "${opts[@]}"
  SPRING_DATA_REDIS_PORT=$REDIS_PORT "${FAST_JAVA[@]}" > "$DEMO_DIR/logs/$name.log" 2>&1 &
  pids+=($!)
}

start_service identity-service 8281
start_service ipam-service 8282
start_service operator-service 9963
start_service agent-service 9962
start_service bgp-service 8283
start_service relay-service 8284

# Six JVMs starting at once on a busy 2-core machine can take minutes.
START_SECONDS=${START_SECONDS:-300}
for port in 8281 8282 9963 9962 8283 8284; do
  if ! wait_http "http://127.0.0.1:$port/actuator/health" "$START_SECONDS"; then
    log "a service on port $port did not come up; see $DEMO_DIR/logs"
    exit 1
  fi
done
log "all services answer; asking the console for their health"

bash scripts/cli.sh status || true

log "policy: who may reach whom under examples/policy-trace (offline trace, no service needed)"
bash scripts/cli.sh policy trace --offline --policies examples/policy-trace/policies \
  --pods examples/policy-trace/pods.yaml --ports 8080/TCP,9090/TCP || true

if $have_kubectl; then
  log "the operator registered the CRDs and holds its leader-election Lease in the dev API server:"
  kc get crd ciliumnetworkpolicies.cilium.io -L io.cilium.k8s.crd.schema.version || true
  kc get leases -A || true
  log "kubectl apply -f examples/k8s/node-1.yaml: the operator answers a new Node with a CiliumNode"
  kc apply -f examples/k8s/node-1.yaml
  for _ in $(seq 30); do
    kc get ciliumnode node-1 > /dev/null 2>&1 && break
    sleep 1
  done
  kc get ciliumnode node-1 -o jsonpath='{"CiliumNode node-1: podCIDRs="}{.spec.ipam.podCIDRs}{" addresses="}{.spec.addresses}{"\n"}' \
    || log "no CiliumNode for node-1 yet; see $DEMO_DIR/logs/operator-service.log"
  kc get cnp,ccnp,ippools,ciliumnodes -A || true
fi

if $keep; then
  log "running; press Ctrl-C to stop (KUBECONFIG=$KUBECONFIG; the console needs JCILIUM_TLS_ENABLED=false:" \
    "JCILIUM_TLS_ENABLED=false scripts/jcilium status)"
  wait
  exit 0
fi

stop_all
log "one node end to end (scripts/e2e.sh --show): its own dev API server, Redis, identity-service and"
log "agent with the eBPF datapath; pods through the CNI plugin; a CiliumNetworkPolicy applied with kubectl"
bash scripts/e2e.sh --show
log "two nodes end to end (scripts/cluster-e2e.sh): a control plane and two nodes, each a network"
log "namespace with its own agent; pods across nodes, direct routes, policy by identity across nodes"
bash scripts/cluster-e2e.sh
