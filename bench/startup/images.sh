#!/usr/bin/env bash
# Start-up of the service images as the chart runs them (issue 20 point 1 for the Helm chart):
# per image, the time from `podman run` to the first HTTP 200 from /actuator/health, in a new
# container (as a new pod, or one the kubelet restarts), with RSS of its java process at
# healthy. Interleaved A/B of two builds of the images in the same run: each round starts every
# image of set A, then of set B. Prints medians, the ratio B/A, and the load average beside
# each service.
#
# Usage: bench/startup/images.sh [ROUNDS]   (default 3; as root)
#   A=DIR B=DIR  directories holding <service>.tar (default A: none, B: the last -Pimages build,
#                <module>/target/jib-image.tar); copy a build's tarballs aside to compare it.
#   SERVICES="identity-service ..." (default: the five cluster services; the agent's image
#                needs the node set-up of scripts/images-test.sh)
# Each container gets the chart's JAVA_TOOL_OPTIONS (scripts/lib.sh chart_java_tool_options), a
# read-only root file system with a writable /tmp, and Redis and the dev
# API server as processes on the host. Needs podman, runc, redis-server, curl, python3, kubectl, and the
# dev API server's jar (./mvnw -B -q -DskipTests package -pl dev-apiserver -am).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../scripts/lib.sh"
require_root "bench/startup/images.sh"
cd "$REPO_ROOT"
ROUNDS=${1:-3}
read -r -a SERVICES <<< "${SERVICES:-identity-service ipam-service operator-service relay-service bgp-service}"
SETS=()
[ -z "${A:-}" ] || SETS+=(A)
SETS+=(B)
tarball() { # set service
  local dir
  if [ "$1" = A ]; then dir=$A; else dir=${B:-}; fi
  if [ -n "$dir" ]; then echo "$dir/$2.tar"; else echo "$2/target/jib-image.tar"; fi
}
for set in "${SETS[@]}"; do
  for service in "${SERVICES[@]}"; do
    [ -f "$(tarball "$set" "$service")" ] || { echo "images bench: $(tarball "$set" "$service") is missing" \
      "(./mvnw -Pimages -DskipTests package -pl $service -am)" >&2; exit 1; }
  done
done
[ -n "$(runnable_jar dev-apiserver)" ] || { echo "images bench: no dev API server jar" \
  "(./mvnw -B -q -DskipTests package -pl dev-apiserver -am)" >&2; exit 1; }

RUN=imgb$$
WORK=$(mktemp -d -t jcilium-images-bench-XXXXXX)
chmod 755 "$WORK"
PIDS=()
CONTAINER=
cleanup() {
  [ -z "$CONTAINER" ] || podman rm -f -t 5 "$CONTAINER" > /dev/null 2>&1 || true
  [ ${#PIDS[@]} -eq 0 ] || stop_processes "${PIDS[@]}"
  rm -rf "$WORK"
}
trap cleanup EXIT
podman_test_conf

declare -A IMAGE
for set in "${SETS[@]}"; do
  for service in "${SERVICES[@]}"; do
    t=$(tarball "$set" "$service")
    podman load -q -i "$t" > /dev/null
    # By id (image_id): both sets load under the same tag.
    IMAGE[$set:$service]=$(image_id "$t")
  done
done

start_image_peers "images bench"
free_port IPAM_GRPC IDENTITY_GRPC

args_of() { # service http grpc
  case "$1" in
    identity-service | ipam-service) echo "--spring.grpc.server.port=$3 --spring.data.redis.port=$REDIS_PORT" ;;
    operator-service)
      echo "--jcilium.operator.node.ipam-target=static://127.0.0.1:$IPAM_GRPC" \
        "--jcilium.operator.lbipam.ipam-target=static://127.0.0.1:$IPAM_GRPC" \
        "--jcilium.operator.identity-gc.identity-target=static://127.0.0.1:$IDENTITY_GRPC" ;;
    relay-service) echo "--spring.grpc.server.port=$3" ;;
    *) echo "" ;;
  esac
}
declare -A WALL RSS LOAD
# start SET SERVICE: one start to healthy in a new container of the set's image of SERVICE.
start() {
  local set=$1 service=$2 http grpc t0 pid security args
  free_port http grpc
  read -r -a args <<< "$(args_of "$service" "$http" "$grpc")"
  security=(--cap-drop ALL --security-opt no-new-privileges --read-only --tmpfs /tmp:rw,size=64m)
  [ "$service" != bgp-service ] || security=(--cap-drop ALL --cap-add NET_BIND_SERVICE,NET_RAW,NET_ADMIN)
  CONTAINER=jcilium-$RUN-$service
  LOAD[$service]+="$(cut -d' ' -f1 /proc/loadavg) "
  t0=$(date +%s%N)
  podman run -d --name "$CONTAINER" --network host "${security[@]}" -v "$KUBECONFIG:/etc/jcilium-test/kubeconfig:ro" \
    -e KUBECONFIG=/etc/jcilium-test/kubeconfig -e POD_NAMESPACE=default -e NODE_NAME="bench-$RUN" \
    -e JCILIUM_TLS_ENABLED=false -e JAVA_TOOL_OPTIONS="$(chart_java_tool_options "$service")" \
    "${IMAGE[$set:$service]}" --server.port="$http" "${args[@]}" > /dev/null
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$http/actuator/health"; do
    if [ "$(podman inspect --format '{{.State.Running}}' "$CONTAINER")" != true ] \
      || [ $(( ($(date +%s%N) - t0) / 1000000000 )) -gt 180 ]; then
      echo "images bench: $service ($set) exited or was not healthy within 180 s:" >&2
      podman logs --tail 20 "$CONTAINER" >&2
      exit 1
    fi
    sleep 0.05
  done
  WALL[$set:$service]+="$(( ($(date +%s%N) - t0) / 1000000 )) "
  pid=$(podman inspect --format '{{.State.Pid}}' "$CONTAINER")
  RSS[$set:$service]+="$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status") "
  # As the kubelet stops a container: SIGTERM, then the grace period (the chart's 30 s).
  podman stop -t 30 "$CONTAINER" > /dev/null
  podman rm "$CONTAINER" > /dev/null
  CONTAINER=
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for round in $(seq "$ROUNDS"); do
  log "round $round of $ROUNDS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for service in "${SERVICES[@]}"; do
    for set in "${SETS[@]}"; do
      start "$set" "$service"
    done
  done
done

printf '\n%-18s %-3s %11s %9s  %s\n' image set "start (ms)" "RSS (MiB)" "rounds, ms; load average"
for service in "${SERVICES[@]}"; do
  for set in "${SETS[@]}"; do
    printf '%-18s %-3s %11s %9s  %s; %s\n' "$service" "$set" "$(echo "${WALL[$set:$service]}" | median)" \
      "$(echo "${RSS[$set:$service]}" | median)" "${WALL[$set:$service]}" "${LOAD[$service]}"
  done
  if [ ${#SETS[@]} -eq 2 ]; then
    python3 -c 'import sys; a, b = map(int, sys.argv[1:]); print("%-18s B/A %.2f" % ("", b / a))' \
      "$(echo "${WALL[A:$service]}" | median)" "$(echo "${WALL[B:$service]}" | median)"
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
