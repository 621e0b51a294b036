# One node of a cluster on this machine, for the demo and the end-to-end test (sourced,
# not run): Redis, the dev API server, identity-service and a node agent with its eBPF
# datapath, and pods as network namespaces attached through our CNI plugin, exactly the
# path a container runtime takes. Everything started or created is remembered and
# removed by node_down, also after a failure. Names carry a per-run id.
#
# Needs lib.sh sourced first, root, and the service jars built.

NODE_RUN=${NODE_RUN:-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')}
NODE_DIR=${NODE_DIR:-$REPO_ROOT/.node-$NODE_RUN}
NODE_NAME=${NODE_NAME:-jcilium-node-$NODE_RUN}
# A /24 of 10.214.0.0/16 per run, so routes of two runs never meet.
NODE_POD_CIDR=${NODE_POD_CIDR:-10.214.$((16#${NODE_RUN:0:2})).0/24}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:-$FAST_JAVA_DEFAULT_OPTS}
# Ports picked free per run (two runs at once used to collide on fixed ones); set any of
# them to pin it.
for node_port in NODE_REDIS_PORT NODE_API_PORT NODE_IDENTITY_HTTP NODE_IDENTITY_GRPC NODE_AGENT_HTTP \
  NODE_AGENT_GRPC NODE_RELAY_HTTP NODE_RELAY_GRPC; do
  [ -n "${!node_port:-}" ] || free_port "$node_port"
done

node_pids=()
node_netns=()
node_containers=()

node_start_java() { # name jar args...
  local name=$1 jar=$2
  shift 2
  local opts
  read -r -a opts <<< "$NODE_JAVA_OPTS"
  fast_java "$jar" "${opts[@]}" || return 1
  "${FAST_JAVA[@]}" "$@" >> "$NODE_DIR/logs/$name.log" 2>&1 &
  node_pids+=($!)
}

# node_start_identity: identity-service; its pid in NODE_IDENTITY_PID.
node_start_identity() {
  log "node $NODE_NAME: identity-service (grpc :$NODE_IDENTITY_GRPC)"
  node_start_java identity-service "$(runnable_jar identity-service)" --server.port="$NODE_IDENTITY_HTTP" \
    --spring.grpc.server.port="$NODE_IDENTITY_GRPC" --spring.data.redis.port="$NODE_REDIS_PORT"
  NODE_IDENTITY_PID=${node_pids[-1]}
}

# node_start_relay: relay-service, bootstrapped from this node's agent: it learns every agent
# (here the one) from peer.Peer and serves the cluster's flows on :$NODE_RELAY_GRPC; its pid in
# NODE_RELAY_PID.
node_start_relay() {
  log "node $NODE_NAME: relay-service (grpc :$NODE_RELAY_GRPC), learning the agents from peer.Peer"
  node_start_java relay-service "$(runnable_jar relay-service)" --server.port="$NODE_RELAY_HTTP" \
    --spring.grpc.server.port="$NODE_RELAY_GRPC" \
    --spring.grpc.client.channels.hubble-peer.address="static://localhost:$NODE_AGENT_GRPC"
  NODE_RELAY_PID=${node_pids[-1]}
}

# hubble_observe ARGS...: the console's `hubble observe` through this node's relay.
hubble_observe() {
  bash "$REPO_ROOT/scripts/cli.sh" --jcilium.services.relay.grpc="localhost:$NODE_RELAY_GRPC" hubble observe "$@"
}

# relay_shows PATTERN ARGS...: whether `hubble observe ARGS` through the relay prints a line
# matching the extended regular expression PATTERN.
relay_shows() {
  local pattern=$1
  shift
  hubble_observe "$@" 2> /dev/null | grep -Eq -- "$pattern"
}

# node_start_agent: the node agent with its eBPF datapath; its pid in NODE_AGENT_PID.
node_start_agent() {
  log "node $NODE_NAME: agent with its eBPF datapath (pod CIDR $NODE_POD_CIDR from its CiliumNode)"
  # With its datapath, a setting the build's Spring AOT processing did not see (lib.sh).
  FAST_JAVA_SPRING_AOT=false node_start_java agent-service "$(runnable_jar agent-service)" --server.port="$NODE_AGENT_HTTP" \
    --spring.grpc.server.port="$NODE_AGENT_GRPC" \
    --jcilium.agent.node-name="$NODE_NAME" \
    --jcilium.agent.state-dir="$NODE_DIR/state" \
    --jcilium.agent.cni.socket-path="$NODE_DIR/agent.sock" \
    --jcilium.agent.k8s.pod-cidr-wait=60s \
    --jcilium.agent.identity.target="static://localhost:$NODE_IDENTITY_GRPC" \
    --jcilium.agent.k8s.pod-field-selector=false \
    --jcilium.agent.hubble.peer.port="$NODE_AGENT_GRPC" \
    --jcilium.datapath.enabled=true --jcilium.datapath.prefix="jcilium-$NODE_RUN"
  NODE_AGENT_PID=${node_pids[-1]}
}

node_up() {
  mkdir -p "$NODE_DIR/logs" "$NODE_DIR/redis" "$NODE_DIR/state"
  log "node $NODE_NAME: redis on :$NODE_REDIS_PORT"
  redis-server --port "$NODE_REDIS_PORT" --bind 127.0.0.1 --dir "$NODE_DIR/redis" --save "" --appendonly no \
    > "$NODE_DIR/logs/redis.log" 2>&1 &
  node_pids+=($!)

  log "node $NODE_NAME: dev API server on :$NODE_API_PORT"
  node_start_java dev-apiserver "$(runnable_jar dev-apiserver)" --port "$NODE_API_PORT" \
    --kubeconfig "$NODE_DIR/kubeconfig"
  export KUBECONFIG=$NODE_DIR/kubeconfig
  # kubectl caches discovery per server address; a cache per run never shows another run's CRDs.
  export KUBECACHEDIR=$NODE_DIR/kube-cache
  wait_for 120 grep -q "dev-apiserver ready" "$NODE_DIR/logs/dev-apiserver.log" \
    || { log "the dev API server did not start; see $NODE_DIR/logs"; return 1; }
  kubectl apply -f "$REPO_ROOT/helm/jcilium/crds/" > /dev/null
  # The node's pod CIDR, as the operator would write it from ipam-service: the agent takes it
  # from here, not from its configuration.
  kubectl apply -f - > /dev/null <<EOF
apiVersion: cilium.io/v2
kind: CiliumNode
metadata:
  name: $NODE_NAME
spec:
  # The agent's Hubble peer service announces the node at this address (and its gRPC port).
  addresses: [{type: InternalIP, ip: 127.0.0.1}]
  ipam:
    podCIDRs: [$NODE_POD_CIDR]
EOF

  node_start_identity
  node_start_agent
  for port in "$NODE_IDENTITY_HTTP" "$NODE_AGENT_HTTP"; do
    wait_http "http://127.0.0.1:$port/actuator/health" 180 \
      || { log "a service on :$port did not come up; see $NODE_DIR/logs"; return 1; }
  done
  wait_file "$NODE_DIR/agent.sock" 60 || { log "the agent socket did not appear"; return 1; }
}

# pod_up NAMESPACE NAME LABELS: the Pod object in the API server, then a network
# namespace attached through the CNI plugin, as a runtime would: an ADD that fails with
# CNI code 11 (try again later: the endpoint was not ready in time) is followed by DEL and
# retried. The pod's IP in POD_IP. Runs in the caller's shell (not in $(...)), so
# node_down knows what to remove.
pod_up() {
  local attempt
  pod_create "$1" "$2" "$3" || return 1
  for attempt in 1 2 3 4 5 6; do
    pod_attach "$1" "$2" "$POD_CONTAINER" && return 0
    [ "$(jq -r '.code // empty' "$NODE_DIR/cni-$2.json" 2>/dev/null)" = 11 ] || break
    cni_call DEL "$1" "$2" "$POD_CONTAINER" > /dev/null 2>&1
  done
  log "CNI ADD of $1/$2 failed: $(cat "$NODE_DIR/cni-$2.json")"
  return 1
}

# pod_create NAMESPACE NAME LABELS: the Pod object and its network namespace; the
# container id in POD_CONTAINER.
pod_create() {
  local ns=$1 name=$2 labels=$3 netns
  kubectl apply -f - > /dev/null <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $name
  namespace: $ns
  labels: {$labels}
spec:
  nodeName: $NODE_NAME
  serviceAccountName: default
  containers:
  - name: main
    image: busybox
    ports:
    - {name: http, containerPort: 8080, protocol: TCP}
EOF
  netns=jc-$NODE_RUN-$name
  ip netns add "$netns" || return 1
  node_netns+=("$netns")
  POD_CONTAINER=$NODE_RUN$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
  node_containers+=("$POD_CONTAINER")
}

# pod_attach NAMESPACE NAME CONTAINER: one CNI ADD; the result (or the CNI error) in
# $NODE_DIR/cni-NAME.json, the pod's IP in POD_IP.
pod_attach() {
  cni_call ADD "$1" "$2" "$3" > "$NODE_DIR/cni-$2.json" || return 1
  POD_IP=$(jq -r '.ips[0].address' "$NODE_DIR/cni-$2.json" | cut -d/ -f1)
}

# cni_call COMMAND NAMESPACE NAME CONTAINER: runs our plugin as a runtime does.
cni_call() {
  printf '{"cniVersion":"1.0.0","name":"jcilium","type":"jcilium-cni","agentSocket":"%s"}' "$NODE_DIR/agent.sock" \
    | CNI_COMMAND=$1 CNI_CONTAINERID=$4 CNI_NETNS=/run/netns/jc-$NODE_RUN-$3 CNI_IFNAME=eth0 \
      CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=$2;K8S_POD_NAME=$3" CNI_PATH=/opt/cni/bin \
      "$REPO_ROOT/agent-service/target/classes/cni/jcilium-cni"
}

# pod_serve NAME PORT: an HTTP server in the pod, serving $NODE_DIR/www.
pod_serve() {
  mkdir -p "$NODE_DIR/www"
  ip netns exec "jc-$NODE_RUN-$1" python3 -m http.server "$2" --directory "$NODE_DIR/www" \
    > "$NODE_DIR/logs/http-$1.log" 2>&1 &
  node_pids+=($!)
}

# pod_connects FROM IP PORT: whether a new TCP connection from the pod to IP:PORT gets an answer.
pod_connects() {
  ip netns exec "jc-$NODE_RUN-$1" curl -s -o /dev/null --max-time 2 "http://$2:$3/"
}

# endpoint_state NAMESPACE NAME: the state of the pod's endpoint, from the agent API.
endpoint_state() {
  curl -s --unix-socket "$NODE_DIR/agent.sock" http://localhost/v1/endpoint \
    | jq -r --arg ns "$1" --arg n "$2" '.[] | select(.podNamespace == $ns and .podName == $n) | .state'
}

node_down() {
  local i container netns
  for i in "${!node_containers[@]}"; do
    container=${node_containers[$i]}
    netns=${node_netns[$i]:-}
    printf '{"cniVersion":"1.0.0","name":"jcilium","type":"jcilium-cni","agentSocket":"%s"}' \
      "$NODE_DIR/agent.sock" | CNI_COMMAND=DEL CNI_CONTAINERID=$container CNI_NETNS=/run/netns/$netns \
      CNI_IFNAME=eth0 CNI_PATH=/opt/cni/bin "$REPO_ROOT/agent-service/target/classes/cni/jcilium-cni" \
      > /dev/null 2>&1 || true
  done
  [ ${#node_pids[@]} -eq 0 ] || stop_processes "${node_pids[@]}"
  for netns in "${node_netns[@]}"; do ip netns delete "$netns" 2>/dev/null || true; done
  # The agent leaves its datapath pinned on purpose (it survives restarts); a finished run removes it.
  rm -rf "/sys/fs/bpf/jcilium-$NODE_RUN"
  node_pids=()
  node_netns=()
  node_containers=()
}

# test_state NAMESPACE NAME STATE: whether the pod's endpoint is in STATE.
test_state() {
  [ "$(endpoint_state "$1" "$2")" = "$3" ]
}

# policy_refused NAMESPACE NAME: whether the agent put a failure condition on the CNP.
policy_refused() {
  kubectl get cnp -n "$1" "$2" -o json \
    | jq -e '[.status.conditions[]? | select(.status == "False" or .type == "Invalid")] | length > 0' > /dev/null
}

# endpoint_reason NAMESPACE NAME: why the pod's endpoint is in its state.
endpoint_reason() {
  curl -s --unix-socket "$NODE_DIR/agent.sock" http://localhost/v1/endpoint \
    | jq -r --arg ns "$1" --arg n "$2" '.[] | select(.podNamespace == $ns and .podName == $n) | .stateReason'
}
