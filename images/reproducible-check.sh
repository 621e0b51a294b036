#!/usr/bin/env bash
# Shows that the images' base is reproducible: assembles a base image twice, in two fresh
# directories (nothing reused between the two but the downloaded Debian packages, which are
# checked against apt's versions), and compares the two tarballs byte for byte.
#
#   images/reproducible-check.sh [java|agent ...]     default: java agent
#   images/reproducible-check.sh --service MODULE     also a service's whole image, built twice
#                                                     by Maven (`clean package -Pimages`), e.g.
#                                                     --service identity-service (needs the
#                                                     project installed: mvnw install)
#
# Prints each pair's SHA-256 sums and exits 1 when any pair differs, with the first entries
# that differ. Jib adds the services' layers with fixed file times and the project's fixed
# outputTimestamp (docs/images.md, "Reproducible").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
flavors=()
services=()
while [ $# -gt 0 ]; do
  case "$1" in
    --service) services+=("${2:?--service needs a module, e.g. identity-service}"); shift 2 ;;
    java | agent) flavors+=("$1"); shift ;;
    *) echo "reproducible-check: unknown argument '$1' (java, agent or --service MODULE)" >&2; exit 2 ;;
  esac
done
[ ${#flavors[@]} -gt 0 ] || [ ${#services[@]} -gt 0 ] || flavors=(java agent)
work=$(mktemp -d "${TMPDIR:-/tmp}/jcilium-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT
# One package cache for both builds: a download is not what is being compared.
export JCILIUM_DEB_CACHE="$work/debs"

status=0
# compare NAME ONE TWO: prints whether the two tarballs are byte-identical
compare() {
  local one two
  one=$(sha256sum < "$2" | cut -d' ' -f1)
  two=$(sha256sum < "$3" | cut -d' ' -f1)
  if [ "$one" = "$two" ]; then
    echo "$1: identical, sha256 $one ($(stat -c %s "$2") bytes)"
  else
    echo "$1: DIFFERENT: $one against $two"
    diff <(tar -tvf "$2") <(tar -tvf "$3") | head -n 5 || true
    status=1
  fi
}
for flavor in "${flavors[@]}"; do
  for build in 1 2; do
    mkdir -p "$work/$build"
    "$here/base-image.sh" "$flavor" "$work/$build/$flavor.tar" > "$work/$build/$flavor.log" 2>&1 || {
      echo "reproducible-check: build $build of '$flavor' failed:" >&2
      cat "$work/$build/$flavor.log" >&2
      exit 1
    }
  done
  compare "$flavor" "$work/1/$flavor.tar" "$work/2/$flavor.tar"
done
for service in "${services[@]}"; do
  [ -d "$root/$service" ] || { echo "reproducible-check: no module '$service'" >&2; exit 2; }
  for build in 1 2; do
    mkdir -p "$work/$build"
    (cd "$root" && ./mvnw -B -q -o -Pimages -pl "$service" clean package -DskipTests -Djacoco.skip=true) \
      > "$work/$build/$service.log" 2>&1 || {
      echo "reproducible-check: build $build of $service's image failed:" >&2
      tail -n 30 "$work/$build/$service.log" >&2
      exit 1
    }
    cp "$root/$service/target/jib-image.tar" "$work/$build/$service.tar"
  done
  compare "$service" "$work/1/$service.tar" "$work/2/$service.tar"
done
exit $status
