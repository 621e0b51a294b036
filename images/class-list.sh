#!/usr/bin/env bash
# Writes images/class-list.txt, the classes images/class-data.sh archives into each service's
# image: every class, lambda proxy and lambda form an image loads on its way to healthy, as
# scripts/images-test.sh starts it (the chart's options, Redis, the dev API server; the agent
# with its datapath, attaching a pod), sorted. One file for the six images, each line led by the
# letters of the images that load it (the header names them): an image's archive holds its own
# classes only, as an archive with the other services' classes too costs a container about
# 20 MiB more RSS, and the six lists, mostly the same classes, take a third of the space merged.
#
#   images/class-list.sh [--build]   (as root, as images-test.sh; --build builds the images first)
#
# A file of the repository, not a step of the build: a training run is not the same twice
# (threads, collections), and the images must be. Run it again when the services' dependencies
# or start change much: a class missing from the list is still loaded, from its jar, only more
# slowly, and a class of the list that no longer exists is skipped. scripts/images-test.sh
# fails when too few of a start's classes come from the archive. Commit the result.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
CLASS_LIST_SERVICES=(agent-service bgp-service identity-service ipam-service operator-service relay-service)
out=$here/class-list.txt
dir=$(mktemp -d "${TMPDIR:-/tmp}/jcilium-class-list.XXXXXX")
chmod 755 "$dir"
trap 'rm -rf "$dir"' EXIT
JCILIUM_CLASS_LIST_DIR=$dir bash "$root/scripts/images-test.sh" "$@"
for service in "${CLASS_LIST_SERVICES[@]}"; do
  [ -s "$dir/$service/classes.lst" ] || { echo "class-list: $service wrote no class list" >&2; exit 1; }
  # Without the constant-pool lines (tied to one build of each class), the classes of other
  # loaders than the JDK's and the class path's (`source:`, e.g. a class Tomcat defines once to
  # look for leaks) and the ids.
  grep -v '^#' "$dir/$service/classes.lst" | grep -v '^@cp ' | grep -v ' source: ' | sed 's/ id: [0-9]*$//' \
    | LC_ALL=C sort -u > "$dir/$service.txt"
done
python3 - "$dir" "$out.tmp" "${CLASS_LIST_SERVICES[@]}" << 'PY'
import sys
work, out, services = sys.argv[1], sys.argv[2], sys.argv[3:]
letters = {}
for service in services:
    letter = next(c for c in service if c not in letters.values())
    letters[service] = letter
owners = {}
for service in services:
    for line in open(f"{work}/{service}.txt"):
        owners.setdefault(line.rstrip("\n"), []).append(letters[service])
with open(out, "w") as f:
    f.write("# The classes the service images load on their way to healthy, which images/class-data.sh\n")
    f.write("# archives into each image. Written by images/class-list.sh; do not edit. Each line: the\n")
    f.write("# letters of the images that load it, then the class list line. The letters:\n")
    for service in services:
        f.write(f"# image {letters[service]} {service}\n")
    for entry in sorted(owners):
        f.write("".join(owners[entry]) + " " + entry + "\n")
PY
mv "$out.tmp" "$out"
for service in "${CLASS_LIST_SERVICES[@]}"; do
  echo "class-list: $service: $(grep -vc '^[#@]' "$dir/$service.txt") classes, $(grep -c '^@lambda-proxy' "$dir/$service.txt") lambda proxies"
done
echo "class-list: $out: $(grep -vc '^#' "$out") lines for ${#CLASS_LIST_SERVICES[@]} images"
