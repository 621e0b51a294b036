#!/usr/bin/env bash
# Start to healthy of the identity-service image with and without a default CDS archive
# (issue 20 point 1 for the images; issue 21's images run a jlinked JDK 17 without one).
# The archive is the one `jlink --generate-cds-archive` would put into the runtime: the
# image's own java, -Xshare:dump on the JDK's default class list, written to a scratch
# directory mounted into the container. Alternating rounds, each the time from
# `podman run` to the first HTTP 200 from /actuator/health and Spring's own "Started ... in"
# figure; prints the median of each mode and the ratio cds/off, with the load average.
#
# Usage: bench/startup/image-cds.sh [ROUNDS]   (default 3; as root; needs
#   identity-service/target/jib-image.tar from ./mvnw -Pimages package, podman, runc,
#   redis-server, curl, python3)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../scripts/lib.sh"
require_root "bench/startup/image-cds.sh"
cd "$REPO_ROOT"
ROUNDS=${1:-3}
TARBALL=identity-service/target/jib-image.tar
[ -f "$TARBALL" ] || { echo "image-cds: $TARBALL is missing: ./mvnw -Pimages -DskipTests package -pl identity-service -am" >&2; exit 1; }

RUN=cds$$
WORK=$(mktemp -d -t jcilium-image-cds-XXXXXX)
# The image's user (65532) writes the archive.
chmod 777 "$WORK"
REDIS_PID=
CONTAINER=
cleanup() {
  [ -z "$CONTAINER" ] || podman rm -f -t 5 "$CONTAINER" > /dev/null 2>&1 || true
  [ -z "$REDIS_PID" ] || stop_processes "$REDIS_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
printf '%s\n' '[containers]' 'default_ulimits = []' '[engine]' 'runtime = "runc"' > "$WORK/containers.conf"
export CONTAINERS_CONF=$WORK/containers.conf

podman load -q -i "$TARBALL" > /dev/null
# By id (the digest of the tarball's config): other runs load under the same tag.
IMAGE=$(tar -xOf "$TARBALL" config.json | sha256sum | cut -d' ' -f1)
free_port REDIS_PORT
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" --save '' --appendonly no > "$WORK/redis.log" 2>&1 &
REDIS_PID=$!

podman run --rm --network none -v "$WORK:/cds" --entrypoint java "$IMAGE" -Xshare:dump \
  -XX:SharedArchiveFile=/cds/jdk.jsa > "$WORK/dump.log" 2>&1 \
  || { echo "image-cds: -Xshare:dump failed:" >&2; tail -5 "$WORK/dump.log" >&2; exit 1; }
log "default CDS archive of the image's runtime: $(du -m "$WORK/jdk.jsa" | cut -f1) MB"

# The chart's JVM options for the cluster services (as scripts/images-test.sh runs them).
OPTIONS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xms32m"
declare -A WALL SPRING
start_once() { # mode
  local mode=$1 extra http grpc t0 started
  case "$mode" in
    off) extra="-Xshare:off" ;;
    cds) extra="-XX:SharedArchiveFile=/cds/jdk.jsa -Xshare:on" ;;
  esac
  free_port http grpc
  CONTAINER=jcilium-$RUN-$mode
  t0=$(date +%s%N)
  podman run -d --name "$CONTAINER" --network host --cap-drop ALL --security-opt no-new-privileges --read-only \
    --tmpfs /tmp:rw,size=64m -v "$WORK:/cds:ro" -e JAVA_TOOL_OPTIONS="$OPTIONS $extra" "$IMAGE" \
    --server.port="$http" --spring.grpc.server.port="$grpc" --spring.data.redis.port="$REDIS_PORT" > /dev/null
  until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$http/actuator/health"; do
    if [ "$(podman inspect --format '{{.State.Running}}' "$CONTAINER")" != true ]; then
      echo "image-cds: the $mode container exited:" >&2
      podman logs --tail 20 "$CONTAINER" >&2
      exit 1
    fi
    sleep 0.1
  done
  WALL[$mode]+="$(( ($(date +%s%N) - t0) / 1000000 )) "
  started=$(podman logs "$CONTAINER" 2>&1 | sed -n 's/.*Started .* in \([0-9.]*\) seconds.*/\1/p' | head -n 1)
  SPRING[$mode]+="${started:-?} "
  podman rm -f -t 5 "$CONTAINER" > /dev/null
  CONTAINER=
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for round in $(seq "$ROUNDS"); do
  log "round $round of $ROUNDS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  start_once off
  start_once cds
done
off=$(echo "${WALL[off]}" | median)
cds=$(echo "${WALL[cds]}" | median)
printf '\n%-4s %22s %26s\n' mode "to healthy, ms (median)" "Spring 'Started in' s (median)"
printf '%-4s %22s %26s\n' off "$off" "$(echo "${SPRING[off]}" | median)"
printf '%-4s %22s %26s\n' cds "$cds" "$(echo "${SPRING[cds]}" | median)"
echo "each round, ms: off ${WALL[off]}/ cds ${WALL[cds]}"
python3 -c "import sys; print('ratio cds/off to healthy: %.2f' % (int(sys.argv[2]) / int(sys.argv[1])))" "$off" "$cds"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
