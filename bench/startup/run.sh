#!/usr/bin/env bash
# Service start-up benchmark (issue 20 point 1): per service, the time from process start to
# the first HTTP 200 from /actuator/health, the CPU time it used to get there (steadier than
# wall time on a loaded machine), RSS right then, and RSS after LOAD_SECONDS of load,
# median of RUNS (default 3), for each way of starting it:
#   plain   java -jar <service>-exec.jar on the PATH's java (the way before issue 20)
#   fast    scripts/lib.sh fast_java: extracted jar, Java 25 AOT cache (CDS archive on 17),
#           C1, serial GC, small young generation, the build's Spring AOT processing (the way
#           scripts/ start services now)
# next to a plain Spring Boot "hello" (web + actuator, same Boot version, bench/startup/hello),
# started the same two ways: the floor the framework sets.
#
# What runs: a real Redis and the dev API server (CRDs applied, a CiliumNode for the agent), an
# identity-service the agent and the operator talk to, then each measured service alone on
# free ports. The agent runs without its eBPF datapath (that needs root and is measured by
# bench/endpoints). The load is HTTP: LOAD_CLIENTS threads asking /actuator/health and
# /actuator/prometheus as fast as they are answered (what a kubelet and Prometheus do, much
# faster); RSS is read from /proc after it, with its split into anonymous memory and file
# pages (ANON/FILE, MiB: the AOT cache is in both). Unattended: prints the load average before
# each service; the machine's load makes absolute figures noisy.
#
# Usage: bench/startup/run.sh [RUNS]
#   SERVICES="hello identity-service ..." (default: hello and the six services)
#   MODES="plain fast" (default), LOAD_SECONDS=60, LOAD_CLIENTS=4, HEALTHY_SECONDS=180,
#   CLASS_LISTS=DIR (each service's loaded classes, threads and live heap by class after the load:
#   jcmd VM.class_hierarchy, Thread.print, GC.class_histogram; with AB_JARS one set per jar and
#   round, e.g. operator-service-b-2.histogram.txt)
#   AB_JARS="a=DIR/x-exec.jar b=DIR/y-exec.jar": interleaved A/B of one service (the first of
#     SERVICES, fast mode): RUNS rounds of a, b, ... in turn, each jar with its own AOT cache
#     next to it (copy jars aside first, so a rebuild cannot swap one under a run); a row
#     per jar. On a loaded machine compare CPU and MAIN_CPU (the main thread's CPU to
#     healthy: the start's critical path, steadier than the process's CPU), pair by pair.
# Needs: the service jars (./mvnw -B -q -DskipTests package), redis-server, curl, python3,
# kubectl; Java 25 under /usr/lib/jvm for the AOT cache (else the CDS archive of the JDK).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../scripts/lib.sh"

RUNS=${1:-3}
SERVICES=${SERVICES:-hello identity-service ipam-service operator-service bgp-service relay-service agent-service}
MODES=${MODES:-plain fast}
LOAD_SECONDS=${LOAD_SECONDS:-60}
LOAD_CLIENTS=${LOAD_CLIENTS:-4}
HEALTHY_SECONDS=${HEALTHY_SECONDS:-180}
WORK=$(mktemp -d -t jcilium-startup-bench-XXXXXX)
PIDS=()
cleanup() {
  [ ${#PIDS[@]} -eq 0 ] || stop_processes "${PIDS[@]}"
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in redis-server python3 curl kubectl java; do
  command -v "$tool" > /dev/null || { echo "bench: $tool is not installed (run scripts/setup.sh)" >&2; exit 1; }
done

HELLO_JAR=$(ls "$HERE"/hello/target/startup-hello-*.jar 2> /dev/null | head -n 1 || true)
if [ -z "$HELLO_JAR" ]; then
  log "building the hello service (bench/startup/hello)"
  (cd "$REPO_ROOT" && ./mvnw -B -q -f bench/startup/hello/pom.xml package -DskipTests > /dev/null)
  HELLO_JAR=$(ls "$HERE"/hello/target/startup-hello-*.jar | head -n 1)
fi
jar_of() { # service
  if [ "$1" = hello ]; then echo "$HELLO_JAR"; else runnable_jar "$1"; fi
}
for service in $SERVICES dev-apiserver identity-service; do
  [ -n "$(jar_of "$service")" ] || { echo "bench: $service is not built (./mvnw -B -q -DskipTests package)" >&2; exit 1; }
done

# --- what the services need ---------------------------------------------------------------
free_port REDIS_PORT
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" --save '' --appendonly no > "$WORK/redis.log" 2>&1 &
PIDS+=($!)

free_port API_PORT
export KUBECONFIG=$WORK/kubeconfig KUBECACHEDIR=$WORK/kube-cache
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$(jar_of dev-apiserver)" --port "$API_PORT" --kubeconfig "$KUBECONFIG" > "$WORK/dev-apiserver.log" 2>&1 &
PIDS+=($!)
wait_for 180 grep -qs "dev-apiserver ready" "$WORK/dev-apiserver.log" \
  || { echo "bench: the dev API server did not start:" >&2; tail -20 "$WORK/dev-apiserver.log" >&2; exit 1; }
kubectl apply -f "$REPO_ROOT/helm/jcilium/crds/" > /dev/null
NODE_NAME=startup-bench-node
kubectl apply -f - > /dev/null << EOF
apiVersion: cilium.io/v2
kind: CiliumNode
metadata:
  name: $NODE_NAME
spec:
  addresses: [{type: InternalIP, ip: 127.0.0.1}]
  ipam:
    podCIDRs: [10.215.0.0/24]
EOF

free_port DEP_IDENTITY_HTTP DEP_IDENTITY_GRPC
fast_java "$(jar_of identity-service)"
"${FAST_JAVA[@]}" --server.port="$DEP_IDENTITY_HTTP" --spring.grpc.server.port="$DEP_IDENTITY_GRPC" \
  --spring.data.redis.port="$REDIS_PORT" > "$WORK/dep-identity.log" 2>&1 &
PIDS+=($!)
wait_for 180 curl -sf -o /dev/null "http://127.0.0.1:$DEP_IDENTITY_HTTP/actuator/health" \
  || { echo "bench: identity-service (a dependency) did not start:" >&2; tail -20 "$WORK/dep-identity.log" >&2; exit 1; }

# The arguments a service runs with here: its own free ports, the shared dependencies.
service_args() { # service http-port grpc-port
  local http=$2 grpc=$3
  case $1 in
    hello) echo "--server.port=$http" ;;
    identity-service | ipam-service)
      echo "--server.port=$http --spring.grpc.server.port=$grpc --spring.data.redis.port=$REDIS_PORT" ;;
    operator-service)
      echo "--server.port=$http --jcilium.operator.lbipam.ipam-target=static://127.0.0.1:$grpc" \
        "--jcilium.operator.identity-gc.identity-target=static://127.0.0.1:$DEP_IDENTITY_GRPC" ;;
    bgp-service) echo "--server.port=$http" ;;
    relay-service)
      echo "--server.port=$http --spring.grpc.server.port=$grpc" \
        "--spring.grpc.client.channels.hubble-peer.address=static://127.0.0.1:$grpc" ;;
    agent-service)
      echo "--server.port=$http --spring.grpc.server.port=$grpc --jcilium.agent.node-name=$NODE_NAME" \
        "--jcilium.agent.state-dir=$WORK/agent-state-$http --jcilium.agent.cni.socket-path=$WORK/agent-$http.sock" \
        "--jcilium.agent.identity.target=static://127.0.0.1:$DEP_IDENTITY_GRPC" \
        "--jcilium.agent.k8s.pod-field-selector=false --jcilium.agent.hubble.peer.port=$grpc" ;;
    *) echo "bench: no arguments known for $1" >&2; return 1 ;;
  esac
}

cat > "$WORK/load.py" << 'PY'
import sys, threading, time, urllib.request
base, seconds, clients = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
paths = ["/actuator/health", "/actuator/prometheus"]
end = time.monotonic() + seconds
count = [0] * clients
def client(i):
    while time.monotonic() < end:
        for path in paths:
            try:
                urllib.request.urlopen(base + path, timeout=10).read()
            except Exception:
                pass
            count[i] += 1
threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
print(sum(count))
PY

# CPU seconds (user + system) the process has used: on a loaded machine a steadier figure
# than wall time, which mostly measures the other processes' share of the cores.
cpu_seconds() { # pid, or pid/task/tid
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"
}
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# The RSS split: anonymous memory (heap, metaspace, code, stacks, the AOT cache's copied-on-write
# part) and file pages (the AOT cache's read-only part, the JDK's libraries and modules).
rss_split() { awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { printf "%.0f/%.0f", a / 1024, f / 1024 }' "/proc/$1/status"; }
# Classes loaded (and not unloaded) after the load, from the JVM's performance counters: RSS
# grows with them (each costs about the same in the AOT cache as in metaspace). "-" without jcmd.
classes_loaded() { # pid
  local jcmd
  jcmd=$(dirname "$(fast_java_bin)")/jcmd
  [ -x "$jcmd" ] || { echo -; return; }
  "$jcmd" "$1" PerfCounter.print 2> /dev/null |
    awk -F= '/^java.cls.loadedClasses=/ { l = $2 } /^java.cls.unloadedClasses=/ { u = $2 } END { if (l == "") print "-"; else print l - u }'
}
# CPU seconds of the JVM's main thread (the first Java thread, named "java" like the
# launcher's thread it is not): the start's serial path. "-" when it is not found.
main_thread_cpu() { # pid
  local task
  for task in /proc/"$1"/task/*; do
    if [ "${task##*/}" != "$1" ] && [ "$(cat "$task/comm" 2> /dev/null)" = java ]; then
      cpu_seconds "$1/task/${task##*/}"
      return
    fi
  done
  echo -
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# One run: start, wait for health, RSS, load, RSS, stop.
# Prints "seconds rss-start rss-load cpu-seconds-to-healthy split-start split-load classes-load
# main-thread-cpu-seconds".
measure_once() { # service mode [jar]
  local service=$1 mode=$2 jar=${3:-} http grpc args start pid healthy cpu main_cpu rss_start rss_load split_start split_load classes
  free_port http grpc
  read -r -a args <<< "$(service_args "$service" "$http" "$grpc")"
  if [ "$mode" = plain ]; then
    FAST_JAVA=(java -jar "$(jar_of "$service")")
  else
    fast_java "${jar:-$(jar_of "$service")}" 2> /dev/null
  fi
  start=$(date +%s%N)
  "${FAST_JAVA[@]}" "${args[@]}" > "$WORK/$service-$mode.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$http/actuator/health"; do
    if ! kill -0 "$pid" 2> /dev/null || [ $(($(date +%s%N) - start)) -gt $((HEALTHY_SECONDS * 1000000000)) ]; then
      echo "bench: $service ($mode) did not become healthy:" >&2
      tail -20 "$WORK/$service-$mode.log" >&2
      curl -s "http://127.0.0.1:$http/actuator/health" >&2 || true
      stop_processes "$pid"
      return 1
    fi
    sleep 0.05
  done
  healthy=$(($(date +%s%N) - start))
  cpu=$(cpu_seconds "$pid")
  main_cpu=$(main_thread_cpu "$pid")
  rss_start=$(rss_mib "$pid")
  split_start=$(rss_split "$pid")
  rss_load=-
  split_load=-
  classes=-
  if [ "$mode" = fast ] && [ "$LOAD_SECONDS" -gt 0 ]; then
    python3 "$WORK/load.py" "http://127.0.0.1:$http" "$LOAD_SECONDS" "$LOAD_CLIENTS" > /dev/null
    rss_load=$(rss_mib "$pid")
    split_load=$(rss_split "$pid")
    classes=$(classes_loaded "$pid")
    if [ -n "${CLASS_LISTS:-}" ]; then
      mkdir -p "$CLASS_LISTS"
      local name=$service${CLASS_LIST_TAG:+-$CLASS_LIST_TAG}
      "$(dirname "$(fast_java_bin)")/jcmd" "$pid" VM.class_hierarchy > "$CLASS_LISTS/$name.txt" 2>&1 || true
      "$(dirname "$(fast_java_bin)")/jcmd" "$pid" Thread.print > "$CLASS_LISTS/$name.threads.txt" 2>&1 || true
      # After a full GC (the histogram forces one): the live heap by class.
      "$(dirname "$(fast_java_bin)")/jcmd" "$pid" GC.class_histogram > "$CLASS_LISTS/$name.histogram.txt" 2>&1 || true
    fi
  fi
  stop_processes "$pid"
  # A start that could not use the build's Spring AOT processing says so, and why.
  grep -h "Spring AOT off" "$WORK/$service-$mode.log" >&2 || true
  awk -v ns="$healthy" -v a="$rss_start" -v b="$rss_load" -v c="$cpu" -v sa="$split_start" -v sb="$split_load" -v k="$classes" \
    -v m="$main_cpu" 'BEGIN { printf "%.2f %s %s %s %s %s %s %s\n", ns / 1e9, a, b, c, sa, sb, k, m }'
}

echo "service start-up, median of $RUNS ($(nproc) cores; load after ${LOAD_SECONDS}s of HTTP load, fast mode only)"
# The anonymous/file split printed is the one of the run with the median RSS.
median_split() { sort -n | awk '{ v[NR] = $2 } END { print v[int((NR + 1) / 2)] }'; }
FORMAT='%-18s %-6s %10s %8s %8s %14s %13s %13s %13s %13s   %s\n'
# shellcheck disable=SC2059 # the format is the one above
printf "$FORMAT" SERVICE MODE HEALTHY_S CPU_S MAIN_CPU RSS_START_MIB ANON/FILE RSS_LOAD_MIB ANON/FILE CLASSES_LOAD "LOAD AVERAGE"
print_row() { # label mode runs-file load-average
  # shellcheck disable=SC2059
  printf "$FORMAT" "$1" "$2" "$(awk '{print $1}' "$3" | median)" "$(awk '{print $4}' "$3" | median)" \
    "$(awk '{print $8}' "$3" | median)" \
    "$(awk '{print $2}' "$3" | median)" "$(awk '{print $2, $5}' "$3" | median_split)" \
    "$(awk '{print $3}' "$3" | median)" "$(awk '{print $3, $6}' "$3" | median_split)" \
    "$(awk '{print $7}' "$3" | median)" "$4"
}
if [ -n "${AB_JARS:-}" ]; then
  read -r service _ <<< "$SERVICES"
  load_average=$(cut -d' ' -f1-3 /proc/loadavg)
  for variant in $AB_JARS; do
    fast_java "${variant#*=}" 2> /dev/null # the training runs before the first round
    : > "$WORK/runs-${variant%%=*}"
  done
  for round in $(seq 1 "$RUNS"); do
    for variant in $AB_JARS; do
      CLASS_LIST_TAG="${variant%%=*}-$round" measure_once "$service" fast "${variant#*=}" | tee -a "$WORK/runs-${variant%%=*}" | sed "s/^/round $round ${variant%%=*}: /" >&2 \
        || echo "- - - - - - - -" >> "$WORK/runs-${variant%%=*}"
    done
  done
  for variant in $AB_JARS; do
    print_row "$service:${variant%%=*}" fast "$WORK/runs-${variant%%=*}" "$load_average-$(cut -d' ' -f1-3 /proc/loadavg)"
  done
  exit 0
fi
for service in $SERVICES; do
  for mode in $MODES; do
    load_average=$(cut -d' ' -f1-3 /proc/loadavg)
    : > "$WORK/runs"
    for _ in $(seq 1 "$RUNS"); do
      measure_once "$service" "$mode" >> "$WORK/runs" || echo "- - - - - - - -" >> "$WORK/runs"
    done
    print_row "$service" "$mode" "$WORK/runs" "$load_average"
  done
done
