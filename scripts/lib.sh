# Shared helpers for the project's scripts (sourced, not run).

# Repository root, whatever the caller's working directory.
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# mTLS is the default of every service and of the console (jcilium.tls.enabled): a jar
# started without certificates stops, naming them. These scripts run the jars on one
# machine with plaintext gRPC, the explicit development setting, set here once for every
# service, console and container they start (Spring Boot binds it as jcilium.tls.enabled).
export JCILIUM_TLS_ENABLED=false

# The jar `java -jar` runs for a module: a service's executable jar carries the -exec
# classifier (the plain jar next to it is a library); dev-apiserver, which nothing depends
# on, has only its executable jar. Empty when the module is not built.
runnable_jar() { # module
  local jar
  jar=$(ls "$REPO_ROOT/$1"/target/"$1"-*-exec.jar 2>/dev/null | head -n 1)
  [ -n "$jar" ] || jar=$(ls "$REPO_ROOT/$1"/target/"$1"-*.jar 2>/dev/null | grep -v -e original -e sources | head -n 1)
  echo "$jar"
}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }

require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$1 needs root (it installs Debian packages, loads eBPF programs and creates network namespaces); run it as root" >&2
    exit 1
  fi
}

# wait_http URL SECONDS: waits until URL answers (any HTTP status), or fails.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -s -o /dev/null --max-time 2 "$url"; do
    if [ $SECONDS -ge $deadline ]; then return 1; fi
    sleep 1
  done
}

# stop_processes PID...: SIGTERM to all (last first), then waits for each; a process still
# alive after 30 s is killed.
stop_processes() {
  local i pid
  for ((i = $#; i >= 1; i--)); do
    kill -TERM "${!i}" 2>/dev/null || true
  done
  for pid in "$@"; do
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    # A killed process is gone only once the kernel has torn it down.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}

# free_port VAR...: sets each VAR (a name, or NAME[KEY] of an array) to a TCP port that is
# free on this machine now and that this shell has not handed out before, for the services a
# script starts, so that two runs on one machine never share a port. The port is drawn below
# the kernel's ephemeral range (net.ipv4.ip_local_port_range): a port the kernel picks itself
# can be taken as the source port of some outgoing connection (the services dialling Redis
# and each other) before the service that was given it binds it, which once failed CI.
FREE_PORTS_GIVEN=${FREE_PORTS_GIVEN:-}
free_port() {
  local _var _port
  for _var in "$@"; do
    _port=$(python3 -c '
import random, socket, sys
given = set(sys.argv[1:])
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(200):
    # Below the ephemeral range when it leaves room, else whatever the kernel picks.
    port = random.randint(10000, low - 1) if low > 11000 else 0
    s = socket.socket()
    try:
        s.bind(("0.0.0.0", port))
        port = s.getsockname()[1]
    except OSError:
        continue
    finally:
        s.close()
    if str(port) not in given:
        print(port)
        sys.exit(0)
sys.exit("free_port: no free TCP port found in 200 tries")
' $FREE_PORTS_GIVEN) || return 1
    FREE_PORTS_GIVEN+=" $_port"
    printf -v "$_var" '%s' "$_port"
  done
}

# wait_file PATH SECONDS: waits until PATH exists, or fails.
wait_file() {
  local deadline=$((SECONDS + $2))
  until [ -e "$1" ]; do
    if [ $SECONDS -ge $deadline ]; then return 1; fi
    sleep 0.5
  done
}

# wait_for SECONDS COMMAND...: retries COMMAND every 0.2 s until it succeeds, or fails.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then return 1; fi
    sleep 0.2
  done
}

# How the scripts start a Java service: the fast way (issue 20 point 1).
# `java -jar service-exec.jar` spends most of its start reading classes out of nested jars,
# verifying and linking them, and it grows a young generation sized for 1/64 of the machine's
# memory before the first collection. fast_java JAR [JVM_OPTION...] sets FAST_JAVA to the
# command that starts JAR (callers append the application's arguments):
#   - a Java 25+ JDK from /usr/lib/jvm when one is installed (JCILIUM_JAVA overrides), else
#     `java` from the PATH (slower, still works on the default JDK 17);
#   - the jar extracted once per build (`-Djarmode=tools extract`): class data sharing needs a
#     plain class path;
#   - for a jar the build processed ahead of time (Spring AOT: every service's), its generated
#     bean definitions (-Dspring.aot.enabled=true) instead of parsing the configuration classes
#     and evaluating their conditions at every start: the agent's RSS -13 MiB at healthy and
#     after load, its refresh 3.1 -> 1.8 s; identity-service 3.54 -> 2.72 s to healthy, the
#     relay 2.57 -> 1.74 s, 8-11 MiB less each (docs/benchmarks.md); a start whose settings
#     differ from the processed ones where a condition reads them turns it off itself,
#     saying which (io.jcilium.aot; see fast_java_spring_aot);
#   - a training run that records what the service loads on its way to healthy: on Java 25+
#     an AOT cache (JEP 483/514/515: classes loaded and linked, method profiles), on older
#     JVMs a dynamic CDS archive (classes parsed only). It runs the service to readiness and
#     its first requests in a network namespace of its own, where it can reach nothing real
#     (fast_java_train); without one, the context exits after its refresh
#     (`-Dspring.context.exit=onRefresh`: no server started). To readiness, the agent's start
#     no longer parses ~1,700 classes out of the jars: CPU to healthy 4.07 -> 3.61 s, 3.06 ->
#     2.85 s to healthy (6 interleaved pairs, docs/benchmarks.md). Then one `java -version`
#     with the cache: one the JVM crashes on is recorded again without AOT class linking
#     (0.8 s slower agent start, measured), or dropped;
#   - FAST_JAVA_DEFAULT_OPTS unless options are given: C1 only and the serial collector (two
#     cores shared by several services: C2 and parallel GC threads only compete with the
#     services' own work), a heap that grows from 32 MiB instead of starting at 1/64 of the
#     machine's memory (the young generation is filled before the first collection: RSS),
#     small thread stacks and code cache. Footprint under load (bench/startup, NMT): a young
#     generation of at most 12 MiB (24 MiB left 13 MiB more heap committed after load; 8 MiB
#     promoted so much short-lived garbage that ipam-service's old generation grew 33 -> 55-62
#     MiB under load), and a
#     heap that grows only to 10-30% above what is live (the defaults, 40-70%, left the agent
#     at 117 MiB of heap for 42 MiB live); C1 compiling a method after 1000 invocations or
#     5000 invocations plus loop iterations instead of 200 and 2000 (the code cache went
#     22 -> 15 MiB in the agent after load: what the start runs a few hundred times and never
#     again stays interpreted, e.g. configuration parsing; CPU to healthy within the noise of
#     loaded runs, docs/benchmarks.md); one Netty arena for direct and one for heap buffers
#     (gRPC's and vert.x's pools otherwise keep one 4 MiB chunk per arena, two arenas per
#     core: the agent's direct memory went 15 -> 6 MiB); no Netty JFR events (Netty 4.2 otherwise
#     loads JFR's Java side, ~110 classes, to offer buffer events nobody records); the C
#     heap's freed memory handed back to the system every 2 s (TrimNativeHeapInterval,
#     experimental on 17 and a product option since 22: glibc otherwise keeps what class
#     parsing, the compiler and the threads freed, 6 MiB of the agent's RSS after load).
# The cache lives next to the jar (target/fast-start/) and is rebuilt when the jar, the JVM or
# the options change. Set JCILIUM_FAST_START=false for the plain `java -jar` (e.g. to compare).
FAST_JAVA_DEFAULT_OPTS=${FAST_JAVA_DEFAULT_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xms32m -XX:MaxNewSize=12m -XX:Tier3InvocationThreshold=1000 -XX:Tier3MinInvocationThreshold=500 -XX:Tier3CompileThreshold=5000 -XX:Tier3BackEdgeThreshold=120000 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:ReservedCodeCacheSize=64m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1 -Dio.netty.jfr.enabled=false -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=2000}

# podman_test_conf: this run's own containers.conf ($WORK) for the podman it calls: runc, and no
# default ulimits (crun and podman's defaults fail on these machines); the machine's stays as
# it is.
podman_test_conf() {
  printf '%s\n' '[containers]' 'default_ulimits = []' '[engine]' 'runtime = "runc"' > "$WORK/containers.conf"
  export CONTAINERS_CONF=$WORK/containers.conf
}

# image_id TARBALL: the id podman gives the docker-archive image in TARBALL (the digest of its
# config). Runs address their images by id, not by tag: other runs on the machine load their
# builds under the same tag, and the tag may have moved since.
image_id() { # tarball
  tar -xOf "$1" "$(tar -xOf "$1" manifest.json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Config"])')" \
    | sha256sum | cut -d' ' -f1
}

# start_image_peers CALLER: what the service images need, as processes on the host for
# containers on the host network: a Redis and the dev API server with the chart's CRDs. Sets
# REDIS_PORT, API_PORT and KUBECONFIG (exported, readable by the images' non-root user), adds
# both to PIDS (the caller stops them) and logs into $WORK. Exits naming CALLER if the API
# server does not start.
start_image_peers() { # caller
  free_port REDIS_PORT API_PORT
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" --save '' --appendonly no > "$WORK/redis.log" 2>&1 &
  PIDS+=($!)
  KUBECONFIG=$WORK/kubeconfig
  export KUBECONFIG KUBECACHEDIR=$WORK/kube-cache
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$(runnable_jar dev-apiserver)" --port "$API_PORT" \
    --kubeconfig "$KUBECONFIG" > "$WORK/dev-apiserver.log" 2>&1 &
  PIDS+=($!)
  wait_for 120 grep -qs "dev-apiserver ready" "$WORK/dev-apiserver.log" \
    || { echo "$1: the dev API server did not start:" >&2; tail -20 "$WORK/dev-apiserver.log" >&2; exit 1; }
  kubectl apply -f "$REPO_ROOT/helm/jcilium/crds/" > /dev/null
  chmod 644 "$KUBECONFIG"
}

# The JAVA_TOOL_OPTIONS the chart gives SERVICE's container (jcilium.springEnv in the chart's
# common templates): its values' jvmOptions.
chart_java_tool_options() { # service
  python3 - "$REPO_ROOT/helm/jcilium/charts/${1%-service}/values.yaml" << 'EOF'
import sys, yaml
print(yaml.safe_load(open(sys.argv[1]))["jvmOptions"])
EOF
}

fast_java_bin() {
  local candidate
  if [ -n "${JCILIUM_JAVA:-}" ]; then
    echo "$JCILIUM_JAVA"
    return
  fi
  for candidate in /usr/lib/jvm/temurin-2[5-9]-*/bin/java /usr/lib/jvm/*-2[5-9]-*/bin/java; do
    [ -x "$candidate" ] && echo "$candidate" && return
  done
  readlink -f "$(command -v java)"
}

# The JDK's feature version (17, 25, ...) from its release file: cheaper than starting a JVM.
java_feature_version() { # java-binary
  local version
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${1%/bin/java}/release" 2>/dev/null)
  [ -n "$version" ] || version=$("$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
  echo "${version:-0}"
}

# The training run's surroundings: no Kubernetes API server it could reach, whatever the
# caller's KUBECONFIG or service account: a kubeconfig of its own, read as a real one is, whose
# server is scripts/training-apiserver.py on a free loopback port (fabric8 also takes
# KUBERNETES_MASTER over the other sources). That server holds no object: it answers lists
# empty, watches with silence, /version, and NotFound to the rest, so the training takes the
# HTTP client's response path and its informers sync as a real run's do: against a refused
# connection the client's response classes stayed loaded but unlinked, and Java 25.0.3
# crashed mapping such an agent cache. Without python3, a port that refuses.
# Environment, not JVM options: those are part of the cache and must be the real run's.
fast_java_training_env() { # training-directory command...
  local dir=$1 server=https://127.0.0.1:1 stub= port= status=0 owner socket
  shift
  mkdir -p "$dir"
  socket=$(mktemp -u -t jcilium-training-XXXXXX.sock)
  if command -v python3 > /dev/null; then
    rm -f "$dir/apiserver.port" "$dir/apiserver.port.tmp"
    # It ends with this shell: its pid taken here, as $BASHPID on the line below would be
    # expanded in the forked job, whose pid becomes the stub's own.
    owner=$BASHPID
    python3 "$REPO_ROOT/scripts/training-apiserver.py" "$owner" > "$dir/apiserver.port.tmp" 2> "$dir/apiserver.log" &
    stub=$!
    wait_for 10 test -s "$dir/apiserver.port.tmp" && mv "$dir/apiserver.port.tmp" "$dir/apiserver.port" || true
    port=$(head -n 1 "$dir/apiserver.port" 2> /dev/null || true)
    [ -z "$port" ] || server=http://127.0.0.1:$port
  fi
  cat > "$dir/kubeconfig" << KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: training
  cluster:
    server: $server
users:
- name: training
  user:
    token: training
contexts:
- name: training
  context:
    cluster: training
    user: training
current-context: training
KUBECONFIG
  (
    unset KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT
    export KUBECONFIG="$dir/kubeconfig" KUBERNETES_MASTER="$server" KUBERNETES_AUTH_TRYSERVICEACCOUNT=false
    # The agent's state and API socket in the training's directory, never where a real agent
    # keeps them (its defaults read these; no condition does, so Spring AOT stays on).
    # (The socket's path short: a unix socket's is at most 107 bytes.)
    export JCILIUM_STATE_DIR="$dir/state" JCILIUM_AGENT_SOCKET="$socket"
    "$@"
  ) || status=$?
  rm -f "$socket"
  if [ -n "$stub" ]; then
    kill "$stub" 2> /dev/null || true
    wait "$stub" 2> /dev/null || true
    echo "fast_java: the training API server $server answered $(grep -c . "$dir/apiserver.log" || true) requests"
  fi
  return "$status"
}

# Whether JAVA starts with a cache (CACHE_OPTION, e.g. -XX:AOTCache=FILE) and the class path
# APP: `java -version` maps the cache and loads its classes as every start does, in a fraction
# of a second. The JVM's crash report, if any, goes to WORK.
fast_java_cache_starts() { # work java cache-option app jvm-option...
  local work=$1 java_bin=$2 cache_option=$3 app=$4
  shift 4
  (cd "$work" && "$java_bin" "$@" "$cache_option" -cp "$app" -version) >> "$work/check.log" 2>&1
}

# Where fast_java keeps JAR's extracted copy, its cache and their stamp; SPRING_AOT (true or
# false) when the caller has decided fast_java_spring_aot already.
fast_java_cache_dir() { # jar [spring-aot]
  local aot=${2:-} suffix=
  if [ -z "$aot" ]; then
    aot=false
    ! fast_java_spring_aot "$1" || aot=true
  fi
  [ "$aot" = false ] || suffix=-aot
  echo "$(cd "$(dirname "$1")" && pwd)/fast-start/$(basename "$1" .jar)$suffix"
}

# One training run of APP, its output added to WORK/training.log. The JVM options are the real
# runs' (the cache records them) plus the one that writes the cache, last; the application's
# arguments are not part of it. NETNS-OPTIONS: fast_java_private_network's, empty for none.
# Where the training can have a network of its own, it runs the service as a real run does,
# through readiness (fast_java_train_to_ready): the cache then also holds what the servers'
# start, the jobs and the first requests load, which a real start otherwise parses and
# verifies out of the jars on its way to healthy (about 1,900 classes for the agent).
# Elsewhere, and when that run writes no cache, the context exits after its refresh
# (-Dspring.context.exit=onRefresh), before any server starts: no port is opened.
fast_java_train() { # work java app netns-options jvm-option...
  local work=$1 java_bin=$2 app=$3 netns=$4 output=${!#}
  shift 4
  output=${output#*=}
  if [ -n "$netns" ]; then
    # shellcheck disable=SC2086 # the options, one word each
    (cd "$work" && unshare $netns -- bash -c 'ip link set lo up && source "$1" && fast_java_training_env "$2/training" fast_java_train_to_ready "${@:3}"' \
      bash "$REPO_ROOT/scripts/lib.sh" "$work" "$java_bin" "$app" "$@") >> "$work/training.log" 2>&1 || true
    [ ! -f "$output" ] || return 0
    echo "fast_java: the training through readiness wrote no cache; training to the context's refresh" >> "$work/training.log"
  fi
  (cd "$work" && fast_java_training_env "$work/training" "$java_bin" "$@" \
    -Dspring.context.exit=onRefresh -jar "$app" --spring.main.cloud-platform=none) \
    >> "$work/training.log" 2>&1 || true
}

# unshare's options for a network namespace of the training's own: nothing real is reachable
# from it (no Redis, no identity-service, no cluster, no agent on this node), so a service run
# there to readiness can act on nothing, and every port is free. Root, or a user namespace
# where the kernel allows them; with `ip` to bring its loopback up and curl to ask the
# service. Fails where there is none (JCILIUM_FAST_JAVA_TRAINING=refresh asks for none).
fast_java_private_network() {
  local options=--net tool
  [ "${JCILIUM_FAST_JAVA_TRAINING:-ready}" = ready ] || return 1
  for tool in unshare ip curl; do
    command -v "$tool" > /dev/null || return 1
  done
  [ "$(id -u)" -eq 0 ] || options="--net --map-root-user"
  # shellcheck disable=SC2086
  unshare $options -- ip link set lo up 2> /dev/null || return 1
  echo "$options"
}

# The training through readiness, in its private network: APP started as a real run is (the
# real runs' JVM options; no cloud platform), asked for its health until it answers (200, or
# 503 for a service whose peers are missing here), asked what probes and a Prometheus scrape
# ask, then stopped as a real run is (SIGTERM): the JVM writes the cache as it exits.
# A Redis of the training's own where redis-server is installed, on the port the services'
# defaults name (6379, free in that network): identity-service and ipam-service then take the
# paths of a Redis that answers, as their real runs do, not those of a refused connection.
FAST_JAVA_TRAINING_PORT=8080
fast_java_train_to_ready() { # java app jvm-option...
  local java_bin=$1 app=$2 pid status=000 deadline path redis= output
  local url=http://127.0.0.1:$FAST_JAVA_TRAINING_PORT/actuator
  shift 2
  if command -v redis-server > /dev/null; then
    mkdir -p "$JCILIUM_STATE_DIR"
    redis-server --port 6379 --bind 127.0.0.1 --dir "$JCILIUM_STATE_DIR" --save '' --appendonly no > /dev/null 2>&1 &
    redis=$!
  fi
  "$java_bin" "$@" -jar "$app" --spring.main.cloud-platform=none --server.port="$FAST_JAVA_TRAINING_PORT" &
  pid=$!
  deadline=$((SECONDS + 180))
  while kill -0 "$pid" 2> /dev/null && [ $SECONDS -lt $deadline ]; do
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url/health") || true
    [ "$status" = 000 ] || break
    sleep 0.2
  done
  echo "fast_java: the training answered GET /actuator/health with HTTP $status"
  if [ "$status" != 000 ]; then
    for _ in 1 2 3; do
      for path in health health/liveness health/readiness prometheus info; do
        curl -s -o /dev/null --max-time 10 "$url/$path" || true
      done
    done
  fi
  kill -TERM "$pid" 2> /dev/null || true
  # Writing the cache (a second JVM the first starts as it exits) takes tens of seconds.
  # One killed while writing it leaves no cache (a partial file the JVM would refuse, silently).
  deadline=$((SECONDS + 300))
  while kill -0 "$pid" 2> /dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
  if kill -KILL "$pid" 2> /dev/null; then
    output=${!#}
    rm -f "${output#*=}"
  fi
  wait "$pid" 2> /dev/null || true
  if [ -n "$redis" ]; then
    kill "$redis" 2> /dev/null || true
    wait "$redis" 2> /dev/null || true
  fi
}

# fast_java_spring_aot JAR: whether fast_java starts JAR from its Spring AOT processing: the
# build processed it (aot-support's io.jcilium.aot records in the jar the settings processed)
# and FAST_JAVA_SPRING_AOT is not false. A caller that starts the service with settings the
# build did not process (the scripts' node agents run their datapath) sets it false: the
# service would turn Spring AOT off itself, and its cache, trained with it on, would miss the
# regular start's classes (+0.4 s, +7 MiB, measured). Each way has its own cache.
fast_java_spring_aot() {
  [ "${FAST_JAVA_SPRING_AOT:-true}" != false ] || return 1
  python3 -c 'import sys, zipfile; sys.exit(0 if "META-INF/jcilium/aot-environment.properties" in zipfile.ZipFile(sys.argv[1]).namelist() else 1)' "$1" 2> /dev/null
}

fast_java() { # jar [jvm-option...]
  local jar=$1 java_bin feature cache app trained stamp work dest record map use
  shift
  local opts=("$@")
  [ ${#opts[@]} -gt 0 ] || read -r -a opts <<< "$FAST_JAVA_DEFAULT_OPTS"
  if [ "${JCILIUM_FAST_START:-true}" = false ]; then
    FAST_JAVA=(java "${opts[@]}" -jar "$jar")
    return 0
  fi
  java_bin=$(fast_java_bin)
  feature=$(java_feature_version "$java_bin")
  if [ "$feature" -ge 25 ]; then
    # Netty and jnr-ffi load native code: without this Java 22+ warns on every start.
    opts+=(--enable-native-access=ALL-UNNAMED)
    # protobuf-java (gRPC) and Netty use sun.misc.Unsafe's memory access: Java 24+ warns.
    opts+=(--sun-misc-unsafe-memory-access=allow)
    record=-XX:AOTCacheOutput
    map=-XX:AOTCache
    # Mapping the cache at its own base address instead of relocating every pointer in it.
    use=(-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -Xlog:aot=off -Xlog:cds=off)
  else
    record=-XX:ArchiveClassesAtExit
    map=-XX:SharedArchiveFile
    use=(-Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
  # A jar the build processed ahead of time (Spring AOT, the services') starts from the
  # generated bean definitions; where its configuration differs from the processed one the
  # service itself turns that off and says why (io.jcilium.aot).
  local aot=false
  if fast_java_spring_aot "$jar"; then
    aot=true
    opts+=(-Dspring.aot.enabled=true)
  fi
  cache=$(fast_java_cache_dir "$jar" "$aot")
  app="$cache/$(basename "$jar")"
  # The way the cache is trained is part of it: one trained to the refresh (by an older lib.sh,
  # or where no network namespace could be had) is trained again where readiness can be.
  local netns training=refresh
  ! netns=$(fast_java_private_network) || training=ready
  stamp="$(stat -c '%s %Y' "$jar") $java_bin ${opts[*]} training=$training"
  if [ "$(cat "$cache.plain" 2>/dev/null)" = "$stamp" ]; then
    FAST_JAVA=("$java_bin" "${opts[@]}" -jar "$jar")
    return 0
  fi
  if [ ! -f "$cache/app.cache" ] || [ "$(cat "$cache/stamp" 2>/dev/null)" != "$stamp" ]; then
    log "preparing a fast start for $(basename "$jar") on Java $feature (once per build)" >&2
    mkdir -p "$(dirname "$cache")"
    work=$(mktemp -d "$cache.tmp.XXXXXX")
    # Extracted where the real runs find it: Java 25 maps a cache recorded at another path of
    # the same layout, JDK 17 declares an archive invalid when the class path moved ("Required
    # classpath entry does not exist"), so there the training runs in place.
    dest=$work/app
    if [ "$feature" -lt 25 ]; then
      rm -rf "$cache"
      dest=$cache
    fi
    if ! "$java_bin" -Djarmode=tools -jar "$jar" extract --destination "$dest" > "$work/extract.log" 2>&1; then
      # Not a Spring Boot application jar (the dev API server, for one): start it as it is.
      log "$(basename "$jar") cannot be extracted; starting it the plain way" >&2
      rm -rf "$work"
      echo "$stamp" > "$cache.plain"
      FAST_JAVA=("$java_bin" "${opts[@]}" -jar "$jar")
      return 0
    fi
    trained=$dest/$(basename "$jar")
    fast_java_train "$work" "$java_bin" "$trained" "$netns" "${opts[@]}" "$record=$dest/app.cache"
    # A cache the JVM cannot start with (a JVM bug, seen with AOT-linked classes) costs one
    # short JVM start to find here, instead of every later start.
    # The crash depends on the training's timing (the classes other threads were loading when
    # it ended): one more training with linking is worth its ~40 s, the unlinked cache starts
    # the agent 0.8 s slower.
    if [ -f "$dest/app.cache" ] && [ "$feature" -ge 25 ] \
      && ! fast_java_cache_starts "$work" "$java_bin" "$map=$dest/app.cache" "$trained" "${opts[@]}" 2> /dev/null; then
      log "the AOT cache of $(basename "$jar") does not start this JVM; training it once more (check.log next to the cache)" >&2
      rm -f "$dest/app.cache"
      fast_java_train "$work" "$java_bin" "$trained" "$netns" "${opts[@]}" "$record=$dest/app.cache"
    fi
    if [ -f "$dest/app.cache" ] && ! fast_java_cache_starts "$work" "$java_bin" "$map=$dest/app.cache" "$trained" "${opts[@]}" 2> /dev/null; then
      if [ "$feature" -ge 25 ]; then
        log "the AOT cache of $(basename "$jar") does not start this JVM; training it again without AOT class linking (check.log next to the cache)" >&2
        rm -f "$dest/app.cache"
        fast_java_train "$work" "$java_bin" "$trained" "$netns" "${opts[@]}" -XX:-AOTClassLinking "$record=$dest/app.cache"
      fi
      if [ -f "$dest/app.cache" ] && ! fast_java_cache_starts "$work" "$java_bin" "$map=$dest/app.cache" "$trained" "${opts[@]}" 2> /dev/null; then
        rm -f "$dest/app.cache"
      fi
    fi
    if [ ! -f "$dest/app.cache" ]; then
      log "the training run of $(basename "$jar") wrote no cache; starting it the plain way (see $work/training.log)" >&2
      FAST_JAVA=("$java_bin" "${opts[@]}" -jar "$jar")
      return 0
    fi
    cp "$work/training.log" "$work/check.log" "$dest/" 2> /dev/null || true
    echo "$stamp" > "$dest/stamp"
    if [ "$dest" != "$cache" ]; then
      rm -rf "$cache"
      mv "$dest" "$cache"
    fi
    rm -rf "$work"
  fi
  FAST_JAVA=("$java_bin" "${opts[@]}" "$map=$cache/app.cache" "${use[@]}" -jar "$app")
}

# The end-to-end scripts' checks (e2e.sh, cluster-e2e.sh, multipool-e2e.sh): each counts its
# checks in the globals passed and failed.
check() { # description command...
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "PASS $what"
  else
    failed=$((failed + 1))
    echo "FAIL $what"
  fi
}

# A step the remaining checks depend on failed: stop here. The scripts' exit traps see a run
# that did not reach its end and fail it, whatever the counts say.
abort() { # description
  echo "ABORT $1"
  exit 1
}

# checks_exit NAME STATUS: the end of an end-to-end script's exit trap. Prints the counts and
# exits with the number of failed checks; a run that did not reach its last line
# ($completed false) exits with STATUS, or 1, so that an early exit never reads "0 failed".
checks_exit() {
  local name=$1 status=$2
  echo "$name: $passed passed, $failed failed"
  if ! $completed; then
    [ "$status" -eq 0 ] && status=1
    echo "$name: aborted before the end (exit status $status)"
    exit "$status"
  fi
  exit $((failed > 125 ? 125 : failed))
}
