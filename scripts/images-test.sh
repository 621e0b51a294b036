#!/usr/bin/env bash
# Runs every service image with podman (issue 21 point 1): loads each image the build wrote
# (`./mvnw -Pimages package`: <module>/target/jib-image.tar), checks its tag and user, starts it
# as the chart would (read-only root file system, no capabilities, non-root; the agent with
# exactly the capabilities docs/images.md lists and not privileged, the host's cgroup2 mounted
# by the chart's mount-cgroup command run from the image with its three capabilities), and
# waits until the service answers its health check (HTTP 200: UP, or DEGRADED). The cluster
# services run against a Redis process and the dev API server; the agent loads its eBPF
# datapath into the kernel, attaches a pod, and a connect from the host to a ClusterIP
# reaches that pod through the agent's socket load balancing.
#
#   scripts/images-test.sh            the images the last -Pimages build wrote
#   scripts/images-test.sh --build    builds them first (-DskipTests)
#   scripts/images-test.sh --agent    only the agent's part: the identity service and the agent
#                                     (pod, ClusterIP through socket LB); combines with --build
#
# Every container runs with the chart's JAVA_TOOL_OPTIONS (its values' jvmOptions). Where the
# images' runtime is Java 25 or later (the build had one, images/base-image.sh), each start must
# take most of its classes, and the module graph, from the image's class-data archive
# (images/class-data.sh).
#
# With JCILIUM_CLASS_LIST_DIR=DIR (images/class-list.sh), each service's start also writes
# the classes it loads to DIR/<service>/classes.lst (-XX:DumpLoadedClassList, no class-data
# archive mapped), and the archive is not checked.
#
# Prints one line per image: size (compressed tarball, and as podman stores it), seconds to
# healthy, the share of the start's classes that came from the image's class-data archive,
# whether the start ran the build's Spring AOT processing, health status. Exits 1 if any image
# fails to load, start or become healthy, or (with a Java 25 runtime) takes less than
# ARCHIVED_MIN (80) percent of its classes from its archive or builds its module graph anew.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_root "scripts/images-test.sh"
cd "$REPO_ROOT"

SERVICES=(identity-service ipam-service operator-service relay-service bgp-service agent-service)
BUILD=false
for arg in "$@"; do
  case "$arg" in
    --build) BUILD=true ;;
    --agent) SERVICES=(identity-service agent-service) ;;
    *) echo "usage: scripts/images-test.sh [--build] [--agent]" >&2; exit 2 ;;
  esac
done
# The cluster services this run starts before the agent (all but the agent, identity first).
CLUSTER_SERVICES=("${SERVICES[@]:0:${#SERVICES[@]}-1}")
# The user each image runs as: the cluster services never as root.
declare -A IMAGE_USER=([identity-service]=65532:65532 [ipam-service]=65532:65532
  [operator-service]=65532:65532 [relay-service]=65532:65532 [bgp-service]=0:0 [agent-service]=0:0)
# The capabilities the chart grants (agent values securityContext.capabilities.<key>), so
# the image runs with exactly what a chart install gives it.
chart_caps() { # key
  python3 -c 'import sys, yaml
caps = yaml.safe_load(open(sys.argv[1]))["securityContext"]["capabilities"][sys.argv[2]]
print(",".join(caps))' helm/jcilium/charts/agent/values.yaml "$1"
}
# The agent's container (docs/images.md says why each) and the mount-cgroup init container.
AGENT_CAPS=$(chart_caps ciliumAgent)
MOUNT_CGROUP_CAPS=$(chart_caps mountCgroup)
HEALTHY_SECONDS=${HEALTHY_SECONDS:-300}
# The least share of a start's classes that must come from the image's class-data archive.
ARCHIVED_MIN=${ARCHIVED_MIN:-80}

if $BUILD; then
  log "building the images (./mvnw -Pimages package -DskipTests)"
  start_build=$SECONDS
  # Two modules at a time, as the CI's verify: the class-data dumps of two images overlap.
  ./mvnw -B -q -T 2 -Pimages -DskipTests package -pl "$(IFS=,; echo "${SERVICES[*]}")" -am
  log "images built in $((SECONDS - start_build)) s"
fi
# The dev API server runs from its executable jar.
if [ -z "$(runnable_jar dev-apiserver)" ]; then
  log "building the dev API server (./mvnw package -pl dev-apiserver -am -DskipTests)"
  ./mvnw -B -q -DskipTests package -pl dev-apiserver -am
fi
for tool in podman runc redis-server curl kubectl python3; do
  command -v "$tool" > /dev/null || { echo "images-test: $tool is not installed (run scripts/setup.sh)" >&2; exit 1; }
done

RUN=img$$
WORK=$(mktemp -d -t jcilium-images-XXXXXX)
chmod 755 "$WORK"
# The host's cgroup2 for socket load balancing, mounted by the chart's mount-cgroup command
# (the chart's cgroup.hostRoot, per run here). Outside $WORK: rm -rf must never walk a
# cgroup2 mount (it would rmdir the host's empty cgroups).
CGROUP_ROOT=/run/jcilium-$RUN-cgroupv2
# Where the agent's container sees it, as the chart's agent.cgroupMountPath.
AGENT_CGROUP=$(sed -n '/define "agent.cgroupMountPath"/{n;p;}' helm/jcilium/charts/agent/templates/_helpers.tpl)
PIDS=()
CONTAINERS=()
cleanup() {
  local c
  for c in "${CONTAINERS[@]}"; do podman rm -f -t 10 "$c" > /dev/null 2>&1 || true; done
  [ ${#PIDS[@]} -eq 0 ] || stop_processes "${PIDS[@]}"
  ip netns del "jc-$RUN-pod" 2> /dev/null || true
  while mountpoint -q "$CGROUP_ROOT" 2> /dev/null; do umount "$CGROUP_ROOT" || break; done
  rmdir "$CGROUP_ROOT" 2> /dev/null || true
  if mountpoint -q "$CGROUP_ROOT" 2> /dev/null; then
    echo "images-test: $CGROUP_ROOT is still mounted, $WORK left in place" >&2
  else
    rm -rf "/sys/fs/bpf/jcilium-$RUN" "$WORK"
  fi
}
trap cleanup EXIT

podman_test_conf

# --- load every image ----------------------------------------------------------------------
app_version=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/jcilium/Chart.yaml)
declare -A IMAGE SIZE_TAR
failed=0
for service in "${SERVICES[@]}"; do
  tarball=$service/target/jib-image.tar
  if [ ! -f "$tarball" ]; then
    echo "images-test: $tarball is missing: build with ./mvnw -Pimages package (or pass --build)" >&2
    exit 1
  fi
  ref=$(podman load -q -i "$tarball" | sed -n 's/^Loaded image.*: //p' | head -n 1)
  expected="localhost/jcilium/$service:$app_version"
  if [ "$ref" != "$expected" ]; then
    echo "images-test: $tarball loaded as '$ref', expected $expected (the chart's image and appVersion)" >&2
    failed=1
    continue
  fi
  # Run by id, not by tag (image_id).
  IMAGE[$service]=$(image_id "$tarball")
  podman image exists "${IMAGE[$service]}" \
    || { echo "images-test: $tarball loaded, but podman has no image ${IMAGE[$service]}" >&2; exit 1; }
  user=$(podman image inspect --format '{{.Config.User}}' "${IMAGE[$service]}")
  if [ "$user" != "${IMAGE_USER[$service]}" ]; then
    echo "images-test: $ref runs as '$user', expected ${IMAGE_USER[$service]}" >&2
    failed=1
  fi
  SIZE_TAR[$service]=$(du -m "$tarball" | cut -f1)
done
[ $failed -eq 0 ] || exit 1
if ! podman run --rm --network none --entrypoint /bin/sh "${IMAGE[agent-service]}" -c \
  'test -x /opt/jcilium/cni/jcilium-cni && for t in ip tc nsenter mount cp mv printf; do command -v $t > /dev/null || exit 1; done'; then
  echo "images-test: the agent image lacks the CNI plugin or a tool the chart's containers run" >&2
  exit 1
fi

# --- what the services need: Redis and the dev API server, as processes ----------------------
start_image_peers images-test

# --- run the images ------------------------------------------------------------------------
declare -A HTTP STARTED
free_port IDENTITY_GRPC IPAM_GRPC AGENT_GRPC RELAY_GRPC
NODE_NAME=images-$RUN
args_of() { # service
  case "$1" in
    identity-service) echo "--spring.grpc.server.port=$IDENTITY_GRPC --spring.data.redis.port=$REDIS_PORT" ;;
    ipam-service) echo "--spring.grpc.server.port=$IPAM_GRPC --spring.data.redis.port=$REDIS_PORT" ;;
    operator-service)
      echo "--jcilium.operator.node.ipam-target=static://127.0.0.1:$IPAM_GRPC" \
        "--jcilium.operator.lbipam.ipam-target=static://127.0.0.1:$IPAM_GRPC" \
        "--jcilium.operator.identity-gc.identity-target=static://127.0.0.1:$IDENTITY_GRPC" ;;
    relay-service)
      echo "--spring.grpc.server.port=$RELAY_GRPC --spring.grpc.client.channels.hubble-peer.address=static://127.0.0.1:$AGENT_GRPC" ;;
    bgp-service) echo "" ;;
    agent-service)
      echo "--spring.grpc.server.port=$AGENT_GRPC --jcilium.agent.node-name=$NODE_NAME" \
        "--jcilium.agent.state-dir=/var/run/jcilium/state --jcilium.agent.cni.socket-path=/var/run/jcilium/agent.sock" \
        "--jcilium.agent.identity.target=static://127.0.0.1:$IDENTITY_GRPC" \
        "--jcilium.agent.k8s.pod-field-selector=false --jcilium.agent.hubble.peer.port=$AGENT_GRPC" \
        "--jcilium.agent.k8s.pod-cidr-wait=60s" \
        "--jcilium.datapath.enabled=true --jcilium.datapath.prefix=jcilium-$RUN" \
        "--jcilium.service.socket-lb=true --jcilium.service.cgroup-path=$AGENT_CGROUP" ;;
  esac
}
start() { # service
  local service=$1 name="jcilium-$RUN-$1" security args class_list=() options
  free_port "HTTP[$service]"
  options=$(chart_java_tool_options "$service")
  if [ "$service" = agent-service ]; then
    # As the chart's DaemonSet (securityContext.privileged=false, its default): these
    # capabilities and nothing else, the host's network and bpffs, the state directory on
    # the host, the host's cgroup2 (the chart's cgroup.hostRoot) at the path the chart mounts
    # it, outside the state directory: podman orders mounts by the depth of the path as
    # written, not stably, and /var/run is /run in the image.
    mkdir -p "$WORK/agent-state" /var/run/netns
    security=(--cap-drop ALL --cap-add "$AGENT_CAPS" -v /sys/fs/bpf:/sys/fs/bpf -v "$WORK/agent-state:/var/run/jcilium"
      -v /var/run/netns:/var/run/netns:rslave -v /proc/sys/net:/host/proc/sys/net
      -v "$CGROUP_ROOT:$AGENT_CGROUP:rslave")
  elif [ "$service" = bgp-service ]; then
    security=(--cap-drop ALL --cap-add NET_BIND_SERVICE,NET_RAW,NET_ADMIN)
  else
    # As the chart's Deployments: non-root, no capabilities, no privilege escalation, a
    # read-only root file system with a writable /tmp.
    security=(--cap-drop ALL --security-opt no-new-privileges --read-only --tmpfs /tmp:rw,size=64m)
  fi
  if [ -n "${JCILIUM_CLASS_LIST_DIR:-}" ]; then
    # The classes of the start to healthy, for images/class-list.sh.
    mkdir -p "$JCILIUM_CLASS_LIST_DIR/$service"
    chown "${IMAGE_USER[$service]}" "$JCILIUM_CLASS_LIST_DIR/$service"
    class_list=(-v "$JCILIUM_CLASS_LIST_DIR/$service:/var/lib/jcilium-class-list")
    options+=" -Xshare:off -XX:DumpLoadedClassList=/var/lib/jcilium-class-list/classes.lst"
  else
    # Where each class came from, and what the JVM mapped (the archive's checks below).
    options+=" -Xlog:class+load=info -Xlog:cds=info"
  fi
  read -r -a args <<< "$(args_of "$service")"
  podman run -d --name "$name" --network host "${security[@]}" -v "$KUBECONFIG:/etc/jcilium-test/kubeconfig:ro" \
    -e KUBECONFIG=/etc/jcilium-test/kubeconfig -e POD_NAMESPACE=default -e NODE_NAME="$NODE_NAME" \
    -e JCILIUM_TLS_ENABLED="$JCILIUM_TLS_ENABLED" \
    "${class_list[@]}" -e JAVA_TOOL_OPTIONS="$options" \
    "${IMAGE[$service]}" --server.port="${HTTP[$service]}" "${args[@]}" > /dev/null
  CONTAINERS+=("$name")
  STARTED[$service]=$SECONDS
}
# healthy SERVICE: UP (or DEGRADED, HTTP 200) on /actuator/health; a container that has
# exited fails at once, and every service has HEALTHY_SECONDS from its own start.
healthy() { # service
  curl -sf -o "$WORK/$1.health" --max-time 3 "http://127.0.0.1:${HTTP[$1]}/actuator/health" && return 0
  [ "$(podman inspect --format '{{.State.Running}}' "jcilium-$RUN-$1" 2> /dev/null)" = true ] || return 2
  [ $((SECONDS - STARTED[$1])) -lt "$HEALTHY_SECONDS" ] || return 2
  return 1
}
declare -A TOOK
await() { # service
  local service=$1 result=1
  while [ $result -eq 1 ]; do
    result=0
    healthy "$service" || result=$?
    [ $result -ne 1 ] || sleep 0.5
  done
  if [ $result -eq 0 ]; then
    TOOK[$service]=$((SECONDS - STARTED[$service]))
  else
    TOOK[$service]=-
    echo "images-test: $service exited or did not become healthy within ${HEALTHY_SECONDS}s; its health and log:" >&2
    curl -s --max-time 3 "http://127.0.0.1:${HTTP[$service]}/actuator/health" >&2 || true
    podman logs --tail 40 "jcilium-$RUN-$service" >&2 || true
    failed=1
  fi
}

log "starting the cluster services' images (${CLUSTER_SERVICES[*]})"
for service in "${CLUSTER_SERVICES[@]}"; do start "$service"; done
await identity-service
# This node's pod CIDR, as the operator writes it into the node's CiliumNode.
POD_CIDR=10.$((200 + RANDOM % 50)).$((RANDOM % 256)).0/24
kubectl apply -f - > /dev/null << EOF
apiVersion: cilium.io/v2
kind: CiliumNode
metadata:
  name: $NODE_NAME
spec:
  addresses: [{type: InternalIP, ip: 127.0.0.1}]
  ipam:
    podCIDRs: [$POD_CIDR]
EOF
# The chart's mount-cgroup init container, its command read from the chart's template, run
# from the agent image with its three capabilities: it mounts cgroup2 at CGROUP_ROOT in the
# host's mount and cgroup namespaces, entered through <host proc>/1/ns. On a node that is
# the host's init; on these test machines pid 1 is not an ordinary init and even root may
# not open its namespaces, so this script's own shell, which lives in the host's
# namespaces, stands in as /hostproc/1.
mkdir -p "$WORK/cni-bin"
mount_cgroup=$(python3 - helm/jcilium/charts/agent/templates/daemonset.yaml << 'EOF'
import sys
lines = open(sys.argv[1]).read().split("\n")
start = lines.index("        - name: mount-cgroup")
block = next(i for i in range(start, len(lines)) if lines[i].strip() == "- |")
indent = len(lines[block + 1]) - len(lines[block + 1].lstrip())
script = []
for line in lines[block + 1:]:
    if line.strip() and len(line) - len(line.lstrip()) < indent:
        break
    script.append(line[indent:])
print("\n".join(script))
EOF
)
log "mounting the host's cgroup2 at $CGROUP_ROOT with the chart's mount-cgroup command ($MOUNT_CGROUP_CAPS)"
if ! podman run --rm --network none --cap-drop ALL --cap-add "$MOUNT_CGROUP_CAPS" -v "/proc/$$:/hostproc/1" \
  -v "$WORK/cni-bin:/hostbin" -e CGROUP_ROOT="$CGROUP_ROOT" -e HOST_PROC=/hostproc -e BIN_DIR=/hostbin \
  -e HOST_BIN_DIR="$WORK/cni-bin" --entrypoint sh "${IMAGE[agent-service]}" -ec "$mount_cgroup"; then
  echo "images-test: the mount-cgroup command failed" >&2
  exit 1
fi
grep -q " $CGROUP_ROOT cgroup2 " /proc/self/mounts \
  || { echo "images-test: no cgroup2 at $CGROUP_ROOT on the host after mount-cgroup" >&2; exit 1; }
[ -z "$(ls -A "$WORK/cni-bin")" ] || { echo "images-test: mount-cgroup left files in the CNI bin dir" >&2; exit 1; }
log "starting the agent's image with $AGENT_CAPS only, socket load balancing on"
start agent-service
for service in "${SERVICES[@]:1}"; do await "$service"; done
# The chart's readiness probe: ready only with the socket programs attached to the cgroup.
socket_lb_ready=-
if [ "${TOOK[agent-service]}" != - ]; then
  socket_lb_ready=$(curl -s --max-time 3 "http://127.0.0.1:${HTTP[agent-service]}/actuator/health/readiness" \
    | python3 -c 'import json,sys; h=json.load(sys.stdin); c=h.get("components",{}).get("socketLb",{})
print(h.get("status"), c.get("status"), c.get("details",{}).get("cgroup"))' 2> /dev/null || true)
  if [ "$socket_lb_ready" != "UP UP $AGENT_CGROUP" ]; then
    echo "images-test: the agent's readiness is '$socket_lb_ready', expected UP with socketLb UP at $AGENT_CGROUP" >&2
    failed=1
  fi
fi

# --- a pod through the unprivileged agent ---------------------------------------------------
# The CNI plugin copied out of the agent image by the chart's install-cni-plugin command (no
# capability), then an ADD and a DEL as a runtime makes them: the agent, with only its five
# capabilities, creates the veth pair, enters the pod's namespace, sets the host end's sysctls
# and attaches its programs.
pod_attached=-
service_connect=-
if [ "${TOOK[agent-service]}" != - ]; then
  podman run --rm --network none --cap-drop ALL --security-opt no-new-privileges -v "$WORK/cni-bin:/host/opt/cni/bin" \
    -e DEST=/host/opt/cni/bin/jcilium-cni --entrypoint sh "${IMAGE[agent-service]}" \
    -ec 'cp -f /opt/jcilium/cni/jcilium-cni "$DEST.tmp" && mv -f "$DEST.tmp" "$DEST"'
  kubectl apply -f - > /dev/null << EOF
apiVersion: v1
kind: Pod
metadata: {name: img-pod, namespace: default, labels: {app: img-pod}}
spec:
  nodeName: $NODE_NAME
  containers: [{name: main, image: busybox}]
EOF
  NETNS=jc-$RUN-pod
  ip netns add "$NETNS"
  CONTAINER_ID=$RUN$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
  cni() { # COMMAND
    printf '{"cniVersion":"1.0.0","name":"jcilium","type":"jcilium-cni","agentSocket":"%s"}' "$WORK/agent-state/agent.sock" \
      | CNI_COMMAND=$1 CNI_CONTAINERID=$CONTAINER_ID CNI_NETNS=/var/run/netns/$NETNS CNI_IFNAME=eth0 \
        CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=img-pod" CNI_PATH="$WORK/cni-bin" \
        "$WORK/cni-bin/jcilium-cni"
  }
  # CNI code 11 (try again): the endpoint was not ready in time; a runtime retries after DEL.
  for attempt in 1 2 3 4 5 6; do
    cni ADD > "$WORK/cni-add.json" && break
    grep -q '"code": *11' "$WORK/cni-add.json" || break
    cni DEL > /dev/null 2>&1 || true
  done
  pod_ip=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ips"][0]["address"].split("/")[0])' \
    "$WORK/cni-add.json" 2> /dev/null || true)
  if [ -n "$pod_ip" ] && ip -n "$NETNS" -4 addr show dev eth0 | grep -q "inet $pod_ip/"; then
    pod_attached="$pod_ip in $POD_CIDR"
    # Ready at the pod's own identity, not at init (5), which drops everything: a
    # regeneration racing the ADD's guard once left the pod there, ADD answered.
    cep_identity() { kubectl get ciliumendpoint img-pod -o jsonpath='{.status.state} {.status.identity.id}' 2> /dev/null; }
    cep_ready() { local s; s=$(cep_identity); [ "${s%% *}" = ready ] && [ -n "${s#* }" ] && [ "${s#* }" != 5 ]; }
    if ! wait_for 30 cep_ready; then
      echo "images-test: the pod's CiliumEndpoint is '$(cep_identity)', expected ready at an identity other than init (5)" >&2
      failed=1
    fi
    pod_attached="$pod_attached, endpoint $(cep_identity)"
    # A ClusterIP in front of the pod (and its EndpointSlice, which the dev API server has
    # no controller to write): a connect from the host to the ClusterIP, which no interface
    # or route has, reaches the pod only if the agent's sock4_connect, attached to the host's
    # cgroup2 root, translates it.
    mkdir -p "$WORK/www"
    echo "img-pod $RUN" > "$WORK/www/index.html"
    ip netns exec "$NETNS" python3 -m http.server 8080 --bind "$pod_ip" --directory "$WORK/www" > "$WORK/http.log" 2>&1 &
    PIDS+=($!)
    CLUSTER_IP=10.96.$((200 + RANDOM % 50)).$((2 + RANDOM % 250))
    kubectl apply -f - > /dev/null << EOF
apiVersion: v1
kind: Service
metadata: {name: img-web, namespace: default}
spec:
  type: ClusterIP
  clusterIP: $CLUSTER_IP
  clusterIPs: [$CLUSTER_IP]
  selector: {app: img-pod}
  ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: img-web-1, namespace: default, labels: {kubernetes.io/service-name: img-web}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: ["$pod_ip"], conditions: {ready: true}}]
EOF
    cluster_ip_answers() { [ "$(curl -s --max-time 2 "http://$CLUSTER_IP/")" = "img-pod $RUN" ]; }
    if wait_for 60 cluster_ip_answers; then
      service_connect="$CLUSTER_IP:80 -> $pod_ip:8080"
    else
      echo "images-test: a connect to the ClusterIP $CLUSTER_IP:80 did not reach the pod at $pod_ip:8080" >&2
      # What failed: the connect itself, the agent's view of the service, its LB map, the
      # programs on the cgroup, a direct connect to the pod.
      curl -sS --max-time 2 -o /dev/null "http://$CLUSTER_IP/" 2>&1 | sed 's/^/  connect: /' >&2 || true
      curl -s --max-time 3 "http://127.0.0.1:${HTTP[agent-service]}/actuator/service" | head -c 2000 >&2 || true
      echo >&2
      bpftool map dump pinned "/sys/fs/bpf/jcilium-$RUN/lb_services" 2>&1 | head -20 >&2 || true
      bpftool cgroup show "$CGROUP_ROOT" 2>&1 | head -20 >&2 || true
      curl -sS --max-time 2 "http://$pod_ip:8080/" 2>&1 | sed 's/^/  pod: /' >&2 || true
      podman logs "jcilium-$RUN-agent-service" 2>&1 | grep -iE "service|slice|lb|socket|WARN|ERROR" | tail -40 >&2 || true
      failed=1
    fi
    kubectl delete service img-web > /dev/null || true
    kubectl delete endpointslice img-web-1 > /dev/null || true
    cni DEL > /dev/null || { echo "images-test: CNI DEL of the pod failed" >&2; failed=1; }
  else
    echo "images-test: the agent image did not attach a pod: $(cat "$WORK/cni-add.json")" >&2
    podman logs --tail 30 "jcilium-$RUN-agent-service" >&2 || true
    failed=1
  fi
  ip netns del "$NETNS" 2> /dev/null || true
fi

# --- the class-data archive ------------------------------------------------------------------
# The images' runtime: Java 25 or later wherever the machine has one (images/base-image.sh).
image_java=$(podman run --rm --network none --entrypoint java "${IMAGE[agent-service]}" -XshowSettings:properties \
  -version 2>&1 | awk '$1 == "java.specification.version" { print $3 }')
archive_runtime=false
[ "${image_java:-0}" -lt 25 ] || archive_runtime=true
if ! $archive_runtime && [ "$(java_feature_version "$(fast_java_bin)")" -ge 25 ]; then
  echo "images-test: this machine has Java $(java_feature_version "$(fast_java_bin)") ($(fast_java_bin)), but the" \
    "images' runtime is Java ${image_java:-?}: images/base-image.sh did not link from it" >&2
  failed=1
fi
# Each service's log, read once for the checks and the table below.
for service in "${SERVICES[@]}"; do
  podman logs "jcilium-$RUN-$service" > "$WORK/$service.log" 2>&1 || true
done
# Whether a start ran the build's Spring AOT processing (a start whose settings differ from the
# processed ones says why it did not).
spring_aot() { # service
  if grep -q 'Spring AOT off' "$WORK/$1.log"; then echo off
  elif grep -q 'Starting AOT-processed' "$WORK/$1.log"; then echo on
  else echo none; fi
}
# The share of the classes its start loaded that came from the image's class-data archive
# (images/class-data.sh), in percent; - when the start did not log its class loading.
archived() { # service
  awk '/\[class,load\]/ { n++; if (/source: shared objects file/) s++ }
    END { if (n) printf "%d", 100 * s / n; else printf "-" }' "$WORK/$1.log"
}
# With a Java 25 runtime each image carries an archive of the classes images/class-list.txt
# lists for it, except in a class-list run, which maps none.
check_archive=false
[ -n "${JCILIUM_CLASS_LIST_DIR:-}" ] || check_archive=$archive_runtime

for service in "${SERVICES[@]}"; do
  [ "${TOOK[$service]}" != - ] || continue
  # The images start with --enable-native-access (the parent pom's Jib jvmFlags): Netty's and
  # jnr-ffi's native calls must not draw Java's restricted-method warning.
  if grep -A3 'restricted method' "$WORK/$service.log" > "$WORK/$service.restricted"; then
    echo "images-test: $service warns of restricted native calls:" >&2
    cat "$WORK/$service.restricted" >&2
    failed=1
  fi
  $check_archive || continue
  # Most of a start's classes must come from the archive, and the module graph with them
  # (dumped and run with the same --enable-native-access).
  share=$(archived "$service")
  if [ "$share" = - ] || [ "$share" -lt "$ARCHIVED_MIN" ]; then
    echo "images-test: $service's start took ${share}% of its classes from the image's class-data archive" \
      "(at least $ARCHIVED_MIN% expected): run images/class-list.sh, rebuild, and commit images/class-list.txt" >&2
    failed=1
  fi
  if ! grep -q 'full module graph: enabled' "$WORK/$service.log"; then
    echo "images-test: $service's start did not map the archived module graph:" >&2
    grep '\[cds' "$WORK/$service.log" | tail -5 >&2
    failed=1
  fi
done

printf '\n%-18s %14s %14s %10s %9s %6s  %s\n' image "tarball (MB)" "stored (MB)" healthy archived aot health
for service in "${SERVICES[@]}"; do
  stored=$(podman image inspect --format '{{.Size}}' "${IMAGE[$service]}" | awk '{ printf "%d", $1 / 1048576 }')
  status=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("status","?"))' "$WORK/$service.health" 2> /dev/null || echo none)
  # DEGRADED (a background job retrying, e.g. the relay before the agent serves its peers) is
  # HTTP 200 and passes the chart's probes; anything else fails.
  case "$status" in UP | DEGRADED) ;; *) [ "${TOOK[$service]}" = - ] || { echo "images-test: $service answers $status" >&2; failed=1; } ;; esac
  share=$(archived "$service")
  [ "$share" = - ] || share+=%
  printf '%-18s %14s %14s %9ss %9s %6s  %s\n' "$service" "${SIZE_TAR[$service]}" "$stored" \
    "${TOOK[$service]}" "$share" "$(spring_aot "$service")" "$status"
done
echo "pod attached through the unprivileged agent image: $pod_attached"
echo "agent readiness (overall, socketLb, cgroup): $socket_lb_ready"
echo "ClusterIP connect from the host through its socket load balancing: $service_connect"
echo "class-data archive in the images: $($archive_runtime && echo "yes (Java $image_java)" || echo "none (a Java ${image_java:-?} runtime)")"
if [ $failed -ne 0 ]; then
  echo "images-test: FAILED" >&2
  exit 1
fi
echo "images-test: every image loaded, started and answered its health check (UP or DEGRADED); the agent's attached a pod and translated a ClusterIP connect"
