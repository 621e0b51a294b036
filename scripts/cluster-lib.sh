# A simulated cluster on this machine (sourced, not run; scripts/cluster.sh is its command
# line). Every node is a network namespace running its own agent, as a real node runs the
# agent's DaemonSet pod in the host network: nothing in the agent knows it is simulated.
#
#   underlay namespace   bridge br0, 172.29.0.0/24: the nodes' LAN
#   control plane        172.29.0.2: dev API server, Redis, identity-, ipam-, operator-service
#   node-1 .. node-N     172.29.0.11..: one agent each, with its eBPF datapath; the agents
#                        reach each other's pods through the VXLAN overlay (routing mode
#                        tunnel, upstream's default) or route each other's pod CIDRs
#                        directly (native, auto-direct-node-routes): CLUSTER_ROUTING
#   outside              172.29.0.254 and 198.51.100.1 (TEST-NET-2): plays the internet; the
#                        nodes' default route points at it, it has no route to any pod:
#                        pods reach it because the agents masquerade their connections to
#                        the node's address on eth0 (everything outside the pod pool)
#
# The operator turns each Node object into a CiliumNode with a pod CIDR from ipam-service,
# exactly as in a real cluster. Addresses are the same in every run: each run's namespaces are
# its own world. What is shared with the host (namespace names, bpffs pins, cgroups) carries
# the run id. Everything is written to $CLUSTER_DIR/resources *before* it is created, so
# cluster_down removes all of it, also after an `up` that failed or was interrupted.
#
# Needs lib.sh sourced first, root, and the service jars built.

CLUSTER_DIR=${CLUSTER_DIR:-$REPO_ROOT/.cluster}
CLUSTER_JAVA_OPTS=${CLUSTER_JAVA_OPTS:-$FAST_JAVA_DEFAULT_OPTS}
CLUSTER_START_SECONDS=${CLUSTER_START_SECONDS:-300}
CLUSTER_SUBNET=172.29.0
CLUSTER_CP_IP=$CLUSTER_SUBNET.2
CLUSTER_OUTSIDE_IP=$CLUSTER_SUBNET.254
CLUSTER_WORLD_IP=198.51.100.1
CLUSTER_POD_POOL=10.244.0.0/16
CLUSTER_CGROUP_ROOT=${CLUSTER_CGROUP_ROOT:-/sys/fs/cgroup/unified}
CLUSTER_ROUTING=${CLUSTER_ROUTING:-tunnel} # tunnel or native; a running cluster's from cluster.env
# Every pod address range (the cluster pool, and multi-pool pools if used): what the agents
# do not masquerade. Extra agent options (space-separated, e.g.
# --jcilium.agent.ipam.pool-wait=90s) in CLUSTER_AGENT_ARGS. Both are kept in cluster.env
# for later agent restarts.
CLUSTER_NON_MASQUERADE=${CLUSTER_NON_MASQUERADE:-$CLUSTER_POD_POOL}
CLUSTER_AGENT_ARGS=${CLUSTER_AGENT_ARGS:-}
# cluster-pool (each node's CiliumNode gets a pod CIDR from $CLUSTER_POD_POOL) or multi-pool
# (upstream's: no cluster pool at all, nodes get blocks of CiliumPodIPPools only); the
# control plane and every agent run in it. Kept in cluster.env.
CLUSTER_IPAM_MODE=${CLUSTER_IPAM_MODE:-cluster-pool}
# Extra arguments for identity-service (space-separated), e.g. a shorter lease for
# scripts/agent-drills.sh.
CLUSTER_IDENTITY_ARGS=${CLUSTER_IDENTITY_ARGS:-}
# mTLS between the services, with per-node agent certificates: CLUSTER_TLS=perNode
# (scripts/cluster-tls.sh); plaintext (the development setting) otherwise.
source "$(dirname "${BASH_SOURCE[0]}")/cluster-tls.sh"
# Which live cluster owns which run id, host-wide (tmpfs: gone with the namespaces at reboot):
# one file per run naming its state directory and the process that started it.
CLUSTER_REGISTRY=${CLUSTER_REGISTRY:-/run/jcilium-clusters}

# cluster_load: the running cluster's run id and node count from $CLUSTER_DIR/cluster.env.
cluster_load() {
  [ -f "$CLUSTER_DIR/cluster.env" ] || return 1
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/cluster.env"
}

cluster_ns() { echo "jc-$CLUSTER_RUN-$1"; } # the network namespace of a part: underlay, cp, outside, node-1...
node_ip() { echo "$CLUSTER_SUBNET.$((10 + $1))"; } # node index -> underlay address
node_bpffs() { echo "/sys/fs/bpf/jcilium-$CLUSTER_RUN-node-$1"; }
node_cgroup() { echo "$CLUSTER_CGROUP_ROOT/jcilium-$CLUSTER_RUN-node-$1"; }

# in_ns PART COMMAND...: runs COMMAND in a part's network namespace. nsenter, not `ip netns
# exec`, which remounts /sys and so hides the bpffs pins.
in_ns() {
  local part=$1
  shift
  nsenter --net="/run/netns/$(cluster_ns "$part")" "$@"
}

# remember KIND VALUE: records a resource for cluster_down, before it is created.
remember() { echo "$1 $2" >> "$CLUSTER_DIR/resources"; }

cluster_netns_add() { # part
  local ns
  ns=$(cluster_ns "$1")
  remember netns "$ns"
  ip netns add "$ns" && ip -n "$ns" link set lo up
}

# cluster_start PART NAME COMMAND...: a process in a part's namespace, logged to logs/NAME.log.
cluster_start() {
  local part=$1 name=$2
  shift 2
  # exec all the way (subshell -> nsenter -> the command): $! is the process itself, not a
  # shell whose end would leave it running.
  # An interrupt that arrives between the fork and `remember` waits for `remember`: run
  # earlier, cluster_down would not know the new process and leave it running.
  CLUSTER_DEFER_SIGNAL=1
  (exec nsenter --net="/run/netns/$(cluster_ns "$part")" "$@") >> "$CLUSTER_DIR/logs/$name.log" 2>&1 &
  remember pid $!
  CLUSTER_DEFER_SIGNAL=
  if [ -n "${CLUSTER_PENDING_SIGNAL:-}" ]; then cluster_interrupted; fi
}

# cluster_on_signal HANDLER: traps INT and TERM with HANDLER (a command), run at once or, when
# the signal comes while cluster_start records a process, right after it has.
cluster_on_signal() {
  CLUSTER_SIGNAL_HANDLER=$1
  trap 'if [ -n "${CLUSTER_DEFER_SIGNAL:-}" ]; then CLUSTER_PENDING_SIGNAL=1; else cluster_interrupted; fi' INT TERM
}
cluster_interrupted() {
  CLUSTER_PENDING_SIGNAL=
  trap - INT TERM
  eval "$CLUSTER_SIGNAL_HANDLER"
}

cluster_start_java() { # part name jar args...
  local part=$1 name=$2 jar=$3
  shift 3
  [ -n "$jar" ] || { log "the $name jar is missing: build first (./mvnw -B -DskipTests package)"; return 1; }
  local opts
  read -r -a opts <<< "$CLUSTER_JAVA_OPTS"
  fast_java "$jar" "${opts[@]}" || return 1
  cluster_start "$part" "$name" env KUBECONFIG="$CLUSTER_DIR/kubeconfig" "${FAST_JAVA[@]}" "$@"
}

# NODE_SYSFS: a command prefix, run inside a node's network namespace, that starts what
# follows in a mount namespace of its own whose /sys is a sysfs of that network namespace (as
# a real node's /sys shows the node's interfaces), with the host's bpffs and cgroups carried
# over (a fresh sysfs would hide both; `ip netns exec` has that flaw). Mounts from the host
# still propagate in (slave), so pod namespaces created later appear under /run/netns. Its
# first argument is a scratch directory with subdirectories bpf/ and cgroup/.
# shellcheck disable=SC2016 # expanded by the inner shell
NODE_SYSFS=(unshare --mount --propagation slave sh -c 'mount --rbind /sys/fs/bpf "$0/bpf" \
  && mount --rbind /sys/fs/cgroup "$0/cgroup" && umount -l /sys && mount -t sysfs sysfs /sys \
  && mount --move "$0/bpf" /sys/fs/bpf && mount --move "$0/cgroup" /sys/fs/cgroup && exec "$@"')

# cluster_wait_health PART PORT NAME: waits until a service's actuator health answers.
cluster_wait_health() {
  local deadline=$((SECONDS + CLUSTER_START_SECONDS))
  until in_ns "$1" curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$2/actuator/health"; do
    if [ $SECONDS -ge $deadline ]; then
      log "$3 did not answer on :$2 within ${CLUSTER_START_SECONDS}s; see $CLUSTER_DIR/logs/$3.log"
      return 1
    fi
    sleep 1
  done
}

# cluster_kubectl ARGS...: kubectl against the cluster's API server (reachable from the
# control-plane namespace and the nodes, not from the host).
cluster_kubectl() {
  in_ns cp env KUBECONFIG="$CLUSTER_DIR/kubeconfig" KUBECACHEDIR="$CLUSTER_DIR/kube-cache" kubectl "$@"
}

cluster_underlay_up() {
  cluster_netns_add underlay || return 1
  ip -n "$(cluster_ns underlay)" link add br0 type bridge || return 1
  ip -n "$(cluster_ns underlay)" link set br0 up
}

# cluster_attach PART PORT ADDRESS: the part's eth0, cabled to the underlay bridge as PORT.
cluster_attach() {
  local underlay
  underlay=$(cluster_ns underlay)
  ip -n "$underlay" link add "$2" type veth peer name eth0 netns "$(cluster_ns "$1")" || return 1
  ip -n "$underlay" link set "$2" master br0 up
  ip -n "$(cluster_ns "$1")" addr add "$3/24" dev eth0
  ip -n "$(cluster_ns "$1")" link set eth0 up
}

cluster_outside_up() {
  cluster_netns_add outside && cluster_attach outside outside "$CLUSTER_OUTSIDE_IP" || return 1
  ip -n "$(cluster_ns outside)" addr add "$CLUSTER_WORLD_IP/32" dev lo
}

cluster_control_plane_up() {
  cluster_netns_add cp && cluster_attach cp cp "$CLUSTER_CP_IP" || return 1
  log "control plane ($CLUSTER_CP_IP): Redis, dev API server"
  mkdir -p "$CLUSTER_DIR/redis"
  cluster_start cp redis redis-server --port 6379 --bind 127.0.0.1 --dir "$CLUSTER_DIR/redis" --save "" \
    --appendonly no
  cluster_start_java cp dev-apiserver "$(runnable_jar dev-apiserver)" --bind "$CLUSTER_CP_IP" --port 6443 \
    --kubeconfig "$CLUSTER_DIR/kubeconfig" || return 1
  wait_for 120 grep -q "dev-apiserver ready" "$CLUSTER_DIR/logs/dev-apiserver.log" \
    || { log "the dev API server did not start; see $CLUSTER_DIR/logs/dev-apiserver.log"; return 1; }
  cluster_kubectl apply -f "$REPO_ROOT/helm/jcilium/crds/" > /dev/null || return 1
  cluster_namespace kube-system || return 1

  if cluster_tls_enabled; then
    log "control plane: mTLS, a CA and the services' certificates; agents ask for theirs (per node)"
    cluster_tls_up || { log "making the cluster's certificates failed"; return 1; }
  fi

  local identity_args ipam_args=(--jcilium.ipam.mode="$CLUSTER_IPAM_MODE") operator_args
  [ "$CLUSTER_IPAM_MODE" = multi-pool ] || ipam_args+=(--jcilium.ipam.cluster-pool.ipv4-cidrs="$CLUSTER_POD_POOL")
  log "control plane: identity-service, ipam-service ($CLUSTER_IPAM_MODE${ipam_args[1]:+, pool $CLUSTER_POD_POOL}), operator-service"
  mapfile -t -O ${#ipam_args[@]} ipam_args < <(cluster_tls_service_args ipam server)
  mapfile -t operator_args < <(cluster_tls_operator_args)
  read -r -a identity_args <<< "$CLUSTER_IDENTITY_ARGS"
  mapfile -t -O ${#identity_args[@]} identity_args < <(cluster_tls_service_args identity server)
  cluster_start_java cp identity-service "$(runnable_jar identity-service)" "${identity_args[@]}" || return 1
  cluster_start_java cp ipam-service "$(runnable_jar ipam-service)" "${ipam_args[@]}" || return 1
  cluster_start_java cp operator-service "$(runnable_jar operator-service)" \
    --jcilium.operator.node.ipam-mode="$CLUSTER_IPAM_MODE" "${operator_args[@]}" || return 1
}

# cluster_node_register INDEX: the Node object a kubelet would register; the operator answers
# it with the node's CiliumNode (address, pod CIDR).
cluster_node_register() {
  cluster_kubectl apply -f - > /dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: node-$1
  labels: {kubernetes.io/hostname: node-$1}
status:
  addresses:
  - {type: InternalIP, address: $(node_ip "$1")}
  - {type: Hostname, address: node-$1}
EOF
}

# cluster_node_up INDEX: node-INDEX's namespace on the underlay, its Node object and its agent.
cluster_node_up() {
  local i=$1 cgroup
  cluster_netns_add "node-$i" && cluster_attach "node-$i" "node-$i" "$(node_ip "$i")" || return 1
  ip -n "$(cluster_ns "node-$i")" route add default via "$CLUSTER_OUTSIDE_IP"
  # A node forwards between its pods and the underlay (a fresh namespace starts with it off).
  ip netns exec "$(cluster_ns "node-$i")" sysctl -qw net.ipv4.ip_forward=1
  cluster_node_register "$i" || return 1
  # The node's own cgroup: its socket LB acts on the processes of this node, not the host's.
  cgroup=$(node_cgroup "$i")
  remember cgroup "$cgroup"
  mkdir -p "$cgroup"
  remember bpffs "$(node_bpffs "$i")"
  mkdir -p "$CLUSTER_DIR/node-$i/state" "$CLUSTER_DIR/node-$i/mnt/bpf" "$CLUSTER_DIR/node-$i/mnt/cgroup"
  log "node-$i ($(node_ip "$i")): agent with its eBPF datapath"
  cluster_agent_start "$i"
}

# cluster_routing_args: the agent's routing settings for $CLUSTER_ROUTING.
cluster_routing_args() {
  case $CLUSTER_ROUTING in
    tunnel) echo "--jcilium.agent.routing.mode=tunnel" ;;
    native) echo "--jcilium.agent.routing.mode=native --jcilium.agent.routing.auto-direct-node-routes=true" ;;
    *) log "routing mode '$CLUSTER_ROUTING' is neither tunnel nor native"; return 1 ;;
  esac
}

# cluster_agent_start INDEX: node-INDEX's agent; its pid also in node-INDEX/agent.pid.
cluster_agent_start() {
  local i=$1 routing
  [ -n "$(runnable_jar agent-service)" ] || { log "the agent-service jar is missing: build first"; return 1; }
  routing=$(cluster_routing_args) || return 1
  local opts extra kubeconfig=$CLUSTER_DIR/kubeconfig
  read -r -a opts <<< "$CLUSTER_JAVA_OPTS"
  read -r -a extra <<< "$CLUSTER_AGENT_ARGS"
  if cluster_tls_enabled; then
    mapfile -t -O ${#extra[@]} extra < <(cluster_tls_agent_args "$i")
    kubeconfig=$(cluster_tls_agent_kubeconfig "$i") || { log "node-$i: the agent's pod and token"; return 1; }
  fi
  # With its datapath, a setting the build's Spring AOT processing did not see (lib.sh).
  FAST_JAVA_SPRING_AOT=false fast_java "$(runnable_jar agent-service)" "${opts[@]}" || return 1
  # shellcheck disable=SC2086 # $routing is a list of options on purpose
  cluster_start "node-$i" "agent-node-$i" "${NODE_SYSFS[@]}" "$CLUSTER_DIR/node-$i/mnt" \
    env KUBECONFIG="$kubeconfig" "${FAST_JAVA[@]}" \
    --jcilium.agent.node-name="node-$i" \
    --jcilium.agent.state-dir="$CLUSTER_DIR/node-$i/state" \
    --jcilium.agent.cni.socket-path="$CLUSTER_DIR/node-$i/agent.sock" \
    --jcilium.agent.k8s.pod-cidr-wait=120s \
    --jcilium.agent.ipam.mode="$CLUSTER_IPAM_MODE" \
    --jcilium.agent.identity.target="static://$CLUSTER_CP_IP:9281" \
    --jcilium.agent.k8s.pod-field-selector=false \
    --jcilium.datapath.enabled=true --jcilium.datapath.prefix="jcilium-$CLUSTER_RUN-node-$i" \
    --jcilium.service.cgroup-path="$(node_cgroup "$i")" \
    --jcilium.service.node-port-devices=eth0 \
    --jcilium.agent.masquerade.enabled=true \
    --jcilium.agent.masquerade.non-masquerade-cidrs="$CLUSTER_NON_MASQUERADE" \
    $routing "${extra[@]}"
  tail -n 1 "$CLUSTER_DIR/resources" | cut -d' ' -f2 > "$CLUSTER_DIR/node-$i/agent.pid"
}

# cluster_agent_restart INDEX: stops node-INDEX's agent (its programs, pinned maps and
# routes stay, as on a real node) and starts it again; waits until it answers.
cluster_agent_restart() {
  local i=$1
  local pid
  pid=$(cat "$CLUSTER_DIR/node-$i/agent.pid")
  if cluster_owns "$pid"; then stop_processes "$pid"; fi
  cluster_agent_start "$i" && cluster_wait_health "node-$i" 9962 "agent-node-$i"
}

# cluster_up N: the whole cluster; on failure the caller runs cluster_down.
cluster_up() {
  local n=$1 i
  mkdir -p "$CLUSTER_DIR/logs"
  CLUSTER_RUN=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
  printf 'CLUSTER_RUN=%s\nCLUSTER_NODES=%s\nCLUSTER_ROUTING=%s\nCLUSTER_NON_MASQUERADE=%q\nCLUSTER_AGENT_ARGS=%q\nCLUSTER_IPAM_MODE=%s\nCLUSTER_TLS=%s\n' \
    "$CLUSTER_RUN" "$n" "$CLUSTER_ROUTING" "$CLUSTER_NON_MASQUERADE" "$CLUSTER_AGENT_ARGS" "$CLUSTER_IPAM_MODE" "$CLUSTER_TLS" \
    > "$CLUSTER_DIR/cluster.env"
  : > "$CLUSTER_DIR/resources"
  cluster_register_owner || return 1
  log "cluster $CLUSTER_RUN: $n nodes, routing mode $CLUSTER_ROUTING, state in $CLUSTER_DIR"
  cluster_underlay_up && cluster_outside_up && cluster_control_plane_up || return 1
  for i in $(seq "$n"); do cluster_node_up "$i" || return 1; done
  cluster_wait_health cp 8281 identity-service && cluster_wait_health cp 8282 ipam-service \
    && cluster_wait_health cp 9963 operator-service || return 1
  for i in $(seq "$n"); do
    cluster_wait_health "node-$i" 9962 "agent-node-$i" || return 1
    wait_file "$CLUSTER_DIR/node-$i/agent.sock" 120 \
      || { log "node-$i: the agent socket did not appear; see $CLUSTER_DIR/logs/agent-node-$i.log"; return 1; }
  done
  for i in $(seq "$n"); do
    wait_for 120 cluster_node_has_cidr "$i" \
      || { log "node-$i got no pod CIDR; see $CLUSTER_DIR/logs/operator-service.log"; return 1; }
  done
  cluster_kubectl get ciliumnodes \
    -o custom-columns='NAME:.metadata.name,ADDRESS:.spec.addresses[0].ip,POD CIDRS:.spec.ipam.podCIDRs'
}

cluster_node_has_cidr() { # index
  local field='{.spec.ipam.podCIDRs[0]}'
  # multi-pool: no pod CIDR (pool blocks come with the first pod); the CiliumNode with the
  # node's address is what the operator owes the node.
  [ "$CLUSTER_IPAM_MODE" != multi-pool ] || field='{.spec.addresses[0].ip}'
  [ -n "$(cluster_kubectl get ciliumnode "node-$1" -o jsonpath="$field" 2>/dev/null)" ]
}

# cluster_netns_delete NAME: ends what still runs in the namespace (a server started in a pod
# with `exec`), then deletes it.
cluster_netns_delete() {
  local pids
  pids=$(ip netns pids "$1" 2>/dev/null | tr '\n' ' ')
  # shellcheck disable=SC2086 # a list of pids
  [ -z "$pids" ] || stop_processes $pids
  ip netns delete "$1" 2>/dev/null || true
}

# cluster_owns PID: whether the process is still one of this cluster's (its command line or
# environment names $CLUSTER_DIR), not another that got the pid of one that ended.
cluster_owns() {
  # (the error redirection first: it must also cover a /proc file that is gone)
  tr '\0' '\n' 2> /dev/null < "/proc/$1/cmdline" | grep -qF -- "$CLUSTER_DIR" \
    || tr '\0' '\n' 2> /dev/null < "/proc/$1/environ" | grep -qF -- "$CLUSTER_DIR"
}

# cluster_sweep: stops what still runs in a network namespace of its own and names
# $CLUSTER_DIR although the list of processes does not hold it (a safety net: nothing should
# be found). Every process of the cluster runs in one of its namespaces; a shell or a viewer of
# its logs on the host is left alone.
cluster_sweep() {
  local file pid host_net found=()
  host_net=$(readlink /proc/$$/ns/net)
  for file in $(grep -laF -- "$CLUSTER_DIR" /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null); do
    pid=${file#/proc/}
    pid=${pid%%/*}
    [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null || echo "$host_net")" != "$host_net" ] || continue
    [[ " ${found[*]} " == *" $pid "* ]] || found+=("$pid")
  done
  [ ${#found[@]} -eq 0 ] && return 0
  log "stopping processes of $CLUSTER_DIR that its list missed: $(for pid in "${found[@]}"; do
    printf '%s (%s) ' "$pid" "$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-80)"; done)"
  stop_processes "${found[@]}"
}

# cluster_down: removes what $CLUSTER_DIR/resources lists: processes first (last started
# first), then, newest first, namespaces (a pod's veth goes with it; its CNI DEL is moot once
# its agent is gone), pins and cgroups, and finally $CLUSTER_DIR.
cluster_down() {
  local kind value pids=()
  if [ -f "$CLUSTER_DIR/resources" ]; then
    while read -r kind value; do
      [ "$kind" = pid ] && cluster_owns "$value" && pids+=("$value")
    done < "$CLUSTER_DIR/resources"
    [ ${#pids[@]} -eq 0 ] || stop_processes "${pids[@]}"
  fi
  cluster_sweep
  if [ -f "$CLUSTER_DIR/resources" ]; then
    tac "$CLUSTER_DIR/resources" | while read -r kind value; do
      case $kind in
        cgroup) [ ! -d "$value" ] || rmdir "$value" || log "could not remove cgroup $value" ;;
        bpffs) rm -rf "$value" ;;
        netns) cluster_netns_delete "$value" ;;
      esac
    done
  fi
  # Whatever carries the run id but missed the list goes too.
  local run
  run=$(sed -n 's/^CLUSTER_RUN=//p' "$CLUSTER_DIR/cluster.env" 2>/dev/null)
  [ -z "$run" ] || cluster_purge "$run"
  rm -rf "$CLUSTER_DIR"
}

# process_start_time PID: the process's start time in clock ticks since boot (field 22 of
# /proc/PID/stat, counted after the command name, which may hold spaces): with the pid it
# names one process, not a later one that got the same pid.
process_start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
  stat=${stat##*) }
  echo "$stat" | cut -d' ' -f20
}

# cluster_register_owner: records in the registry that run $CLUSTER_RUN belongs to
# $CLUSTER_DIR and to this script's process ($$: cluster.sh, or the test that sources this).
cluster_register_owner() {
  mkdir -p "$CLUSTER_REGISTRY" || return 1
  printf 'dir=%s\nowner=%s %s\n' "$CLUSTER_DIR" "$$" "$(process_start_time $$)" > "$CLUSTER_REGISTRY/$CLUSTER_RUN"
}

# cluster_run_owner RUN: prints why run RUN belongs to a live cluster other than the one in
# $CLUSTER_DIR (its owner process still runs, or its state directory still names it) and
# succeeds; fails when nothing else owns it. A run with no registry entry (or one of this
# $CLUSTER_DIR) is nobody else's.
cluster_run_owner() {
  local entry=$CLUSTER_REGISTRY/$1 dir pid started
  [ -f "$entry" ] || return 1
  dir=$(sed -n 's/^dir=//p' "$entry")
  [ "$dir" != "$CLUSTER_DIR" ] || return 1
  read -r pid started <<< "$(sed -n 's/^owner=//p' "$entry")"
  if [ -n "$pid" ] && [ "$pid" != $$ ] && [ -n "$started" ] && [ "$(process_start_time "$pid")" = "$started" ]; then
    echo "its owner, process $pid ($(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null | cut -c1-80)), still runs"
    return 0
  fi
  if grep -qx "CLUSTER_RUN=$1" "$dir/cluster.env" 2> /dev/null; then
    echo "its state directory $dir still names it (remove it with CLUSTER_DIR=$dir scripts/cluster.sh down)"
    return 0
  fi
  return 1
}

# cluster_purge RUN: removes, by name, every namespace, bpffs directory and cgroup of cluster
# run RUN (names carry the run id), ending what still runs in its namespaces; for what a
# run left without its list.
cluster_purge() {
  local name why
  [[ "$1" =~ ^[0-9a-f]{6}$ ]] || { log "'$1' is not a cluster run id"; return 1; }
  # Never another live cluster's: its namespaces and pins carry the same names as leftovers.
  if why=$(cluster_run_owner "$1"); then
    log "not purging cluster run $1: $why"
    return 1
  fi
  for name in $(ip netns list | cut -d' ' -f1 | grep -- "^jc-$1-"); do
    cluster_netns_delete "$name"
  done
  for name in /sys/fs/bpf/jcilium-"$1"-*; do
    [ ! -e "$name" ] || rm -rf "$name"
  done
  for name in "$CLUSTER_CGROUP_ROOT"/jcilium-"$1"-*; do
    [ ! -d "$name" ] || rmdir "$name" || log "could not remove cgroup $name"
  done
  rm -f "$CLUSTER_REGISTRY/$1"
}

# cluster_namespace NAME: the Namespace object (apply: the dev API server reads JSON only,
# and `kubectl create namespace` sends protobuf).
cluster_namespace() {
  printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n' "$1" | cluster_kubectl apply -f - > /dev/null
}

# pod_add NODE NAMESPACE NAME LABELS: the Pod object on node-NODE, then a network namespace
# attached through that node's CNI plugin (pod_attach). The pod's IP in POD_IP.
pod_add() {
  local node=$1 ns=$2 name=$3 labels=$4
  cluster_namespace "$ns" || return 1
  cluster_kubectl apply -f - > /dev/null <<EOF || return 1
apiVersion: v1
kind: Pod
metadata: {name: $name, namespace: $ns, labels: {$labels}}
spec:
  nodeName: node-$node
  containers: [{name: main, image: busybox}]
EOF
  pod_attach "$node" "$ns" "$name" "pod-$name"
}

# pod_attach NODE NAMESPACE NAME PART: the network namespace PART (pod-...) of the existing
# Pod object NAMESPACE/NAME, attached through node-NODE's CNI plugin as a runtime would (ADD
# that fails with CNI code 11, try again later, is followed by DEL and retried). The pod's IP
# in POD_IP.
pod_attach() {
  local node=$1 ns=$2 name=$3 part=$4 container attempt result
  container=$CLUSTER_RUN$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
  cluster_netns_add "$part" || return 1
  result=$CLUSTER_DIR/node-$node/cni-$part.json
  for attempt in 1 2 3 4 5 6; do
    if cni_exec "$node" ADD "$ns" "$name" "$container" "$part" > "$result"; then
      POD_IP=$(jq -r '.ips[0].address' "$result" | cut -d/ -f1)
      echo "$container" > "$CLUSTER_DIR/node-$node/cni-$part.container"
      return 0
    fi
    [ "$(jq -r '.code // empty' "$result" 2>/dev/null)" = 11 ] || break
    cni_exec "$node" DEL "$ns" "$name" "$container" "$part" > /dev/null 2>&1
  done
  log "CNI ADD of $ns/$name on node-$node failed: $(cat "$result")"
  return 1
}

# pod_delete NODE NAMESPACE NAME [PART]: what a runtime and kubelet do when a pod that
# pod_attach attached goes: CNI DEL (its address goes back to the node), its network
# namespace, then its Pod object.
pod_delete() {
  local node=$1 ns=$2 name=$3 part=${4:-pod-$3} container
  container=$(cat "$CLUSTER_DIR/node-$node/cni-$part.container") || return 1
  cni_exec "$node" DEL "$ns" "$name" "$container" "$part" > /dev/null || return 1
  cluster_netns_delete "$(cluster_ns "$part")"
  cluster_kubectl delete pod -n "$ns" "$name" > /dev/null
}

# cni_exec NODE COMMAND NAMESPACE NAME CONTAINER [PART]: node-NODE's CNI plugin, run as a
# runtime does, on the network namespace PART (default pod-NAME).
cni_exec() {
  printf '{"cniVersion":"1.0.0","name":"jcilium","type":"jcilium-cni","agentSocket":"%s"}' \
    "$CLUSTER_DIR/node-$1/agent.sock" \
    | CNI_COMMAND=$2 CNI_CONTAINERID=$5 CNI_NETNS=/run/netns/$(cluster_ns "${6:-pod-$4}") CNI_IFNAME=eth0 \
      CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=$3;K8S_POD_NAME=$4" CNI_PATH=/opt/cni/bin \
      "$REPO_ROOT/agent-service/target/classes/cni/jcilium-cni"
}

# cluster_outside_routes: the outside namespace routes every node's pod CIDR via that node,
# as a router on the nodes' LAN that knows them would: replies from the outside reach pods
# without masquerading, and the outside can try to open connections to pods (which policy
# must then decide).
cluster_outside_routes() {
  local i cidr
  cluster_load || return 1
  for i in $(seq "$CLUSTER_NODES"); do
    cidr=$(cluster_kubectl get ciliumnode "node-$i" -o jsonpath='{.spec.ipam.podCIDRs[0]}') || return 1
    [ -n "$cidr" ] || { log "node-$i has no pod CIDR"; return 1; }
    ip -n "$(cluster_ns outside)" route replace "$cidr" via "$(node_ip "$i")" || return 1
  done
}
