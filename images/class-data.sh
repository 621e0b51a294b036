#!/usr/bin/env bash
# Adds a class-data archive of the service's own start to a service image that Jib wrote, as one
# more layer: the classes images/class-list.txt lists for the image (the JDK's and the jars'),
# parsed, verified and laid out at build time, where the JVM maps them at every start instead of
# reading and verifying them from the jars (docs/images.md, "Class data"). The Maven build calls
# it after Jib (profile `images`, see the parent pom).
#
#   images/class-data.sh IMAGE.tar CLASS_LIST SERVICE   (SERVICE: the module, e.g. identity-service)
#
# The archive replaces the runtime's own (/usr/lib/jvm/jre/lib/server/classes.jsa, which the
# JVM maps with no option), so the image's entrypoint and the chart's options stay as they are.
# Java 25 writes the
# same archive from the same class list, jars and runtime with a fixed heap, so the image stays
# reproducible: the class list is a file of the repository, not a run of the build. An image
# whose runtime is older than Java 25 (whose archives differ at every dump) is left as it is,
# as is one built where no root file system can be entered (neither root nor user namespaces):
# it starts correctly, only slower.
set -euo pipefail

usage="usage: class-data.sh IMAGE.tar CLASS_LIST SERVICE"
image=${1:?$usage}
list=${2:?$usage}
service=${3:?$usage}

# The Java feature version of the image's runtime (0 when it has none).
image_root_java_feature() { # root
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/usr/lib/jvm/jre/release" 2> /dev/null || echo 0
}

# Runs COMMAND with ROOT as its root file system, in mount and PID namespaces of its own (its
# /proc, the host's /dev, an empty /tmp), so nothing outside ROOT is changed. As root, or else
# in a user namespace where the kernel allows one; returns 125 when neither is possible.
image_root_run() { # root command...
  local root=$1 user_ns=()
  shift
  [ "$(id -u)" -eq 0 ] || user_ns=(--map-root-user)
  if ! unshare "${user_ns[@]}" --mount --pid --fork true 2> /dev/null; then
    return 125
  fi
  unshare "${user_ns[@]}" --mount --pid --fork bash -c '
    root=$1
    shift
    mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && mount -t tmpfs tmpfs "$root/tmp" \
      && exec chroot "$root" "$@"' bash "$root" "$@"
}

[ -f "$image" ] || { echo "class-data: no image $image" >&2; exit 1; }
[ -f "$list" ] || { echo "class-data: no class list $list" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/jcilium-class-data.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The image unpacked: the archive itself in $work/archive, its layers, in order, in $root.
root=$work/root
mkdir -p "$work/archive" "$root"
tar -xf "$image" -C "$work/archive"
mapfile -t parts < <(python3 -c 'import json, sys; m = json.load(open(sys.argv[1]))[0]; print("\n".join([m["Config"]] + m["Layers"]))' \
  "$work/archive/manifest.json")
[ ${#parts[@]} -ge 2 ] || { echo "class-data: $image lists no config or no layers in its manifest.json" >&2; exit 1; }
config=${parts[0]}
for layer in "${parts[@]:1}"; do
  tar -xzf "$work/archive/$layer" -C "$root" --no-same-owner
done
mkdir -p "$root/proc" "$root/dev" "$root/tmp"
java_feature=$(image_root_java_feature "$root")
if [ "${java_feature:-0}" -lt 25 ]; then
  echo "class-data: $service: a Java ${java_feature:-?} runtime, no class-data archive (Java 25 or later writes one reproducibly)"
  exit 0
fi
if grep -q '"created_by":"images/class-data.sh"' "$work/archive/$config"; then
  echo "class-data: $service: the image has its class-data layer already"
  exit 0
fi
[ -f "$root/app/jib-classpath-file" ] || { echo "class-data: $image has no /app/jib-classpath-file" >&2; exit 1; }

# The image's lines of the list: those whose letters include the image's (the list's header).
letter=$(awk -v s="$service" '$1 == "#" && $2 == "image" && $4 == s { print $3 }' "$list")
if [ -z "$letter" ]; then
  echo "class-data: $list lists no classes for $service; its image keeps only the runtime's own archive" \
    "(images/class-list.sh writes the list)"
  exit 0
fi
mkdir -p "$root/.class-data"
awk -v l="$letter" '$1 != "#" && index($1, l) { sub(/^[^ ]+ /, ""); print }' "$list" > "$root/.class-data/class-list.txt"
# Dumped with the entrypoint's class path and --enable-native-access (an archive is used only
# with both the same at run time) and a fixed heap (the archived objects' layout follows it).
# Classes of the list that this image lacks, or that fail verification, are left out.
status=0
image_root_run "$root" /usr/lib/jvm/jre/bin/java --enable-native-access=ALL-UNNAMED -Xshare:dump \
  -XX:SharedClassListFile=/.class-data/class-list.txt -XX:SharedArchiveFile=/.class-data/classes.jsa \
  -Xms128m -Xmx128m -Xlog:cds=info -Xlog:cds+class=off -cp @/app/jib-classpath-file \
  > "$work/dump.log" 2>&1 || status=$?
if [ $status -eq 125 ]; then
  echo "class-data: $service: cannot enter its root file system here (not root, and no user" \
    "namespaces); the image keeps only the runtime's own archive"
  exit 0
fi
if [ $status -ne 0 ] || [ ! -s "$root/.class-data/classes.jsa" ]; then
  echo "class-data: the dump for $image failed:" >&2
  tail -20 "$work/dump.log" >&2
  exit 1
fi

# The layer: the archive alone, at the runtime's own archive's path, every time 0, owner root.
stage=$work/stage
target=usr/lib/jvm/jre/lib/server/classes.jsa
mkdir -p "$stage/$(dirname "$target")"
mv "$root/.class-data/classes.jsa" "$stage/$target"
chmod 644 "$stage/$target"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$stage" \
  -cf "$work/layer.tar" "$target"
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -n -6 "$work/layer.tar"
blob=$(sha256sum "$work/layer.tar.gz" | cut -d' ' -f1).tar.gz
mv "$work/layer.tar.gz" "$work/archive/$blob"

# The layer, its diff id and a history entry appended to Jib's config and manifest, as Jib
# writes them (compact JSON, its key order); the files of the new image, in order, to
# $work/entries.
python3 - "$work/archive" "$blob" "$diff_id" > "$work/entries" << 'PY'
import json, os, sys
archive, blob, diff_id = sys.argv[1:4]
manifest_path = os.path.join(archive, "manifest.json")
manifest = json.load(open(manifest_path))
config_path = os.path.join(archive, manifest[0]["Config"])
config = json.load(open(config_path))
config["history"].append({"created": "1970-01-01T00:00:00Z", "created_by": "images/class-data.sh",
                          "comment": "class data"})
config["rootfs"]["diff_ids"].append("sha256:" + diff_id)
manifest[0]["Layers"].append(blob)
with open(config_path, "w") as f:
    f.write(json.dumps(config, separators=(",", ":")))
with open(manifest_path, "w") as f:
    f.write(json.dumps(manifest, separators=(",", ":")))
print("\n".join(manifest[0]["Layers"] + [manifest[0]["Config"], "manifest.json"]))
PY
mapfile -t entries < "$work/entries"
tar --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$work/archive" -cf "$image.tmp" "${entries[@]}"
mv -f "$image.tmp" "$image"
# Jib's record of the image beside it: the image id is now the new config's digest; the
# registry digest Jib computed no longer applies.
image_id=sha256:$(sha256sum "$work/archive/$config" | cut -d' ' -f1)
dir=$(dirname "$image")
[ ! -f "$dir/jib-image.id" ] || printf '%s' "$image_id" > "$dir/jib-image.id"
rm -f "$dir/jib-image.digest" "$dir/jib-image.json"
classes=$(sed -n 's/.*Number of classes \([0-9]*\).*/\1/p' "$work/dump.log" | head -n 1)
echo "class-data: $service: ${classes:-?} classes," \
  "$(( $(stat -c %s "$stage/$target") / 1048576 )) MB archive, layer $(( $(stat -c %s "$work/archive/$blob") / 1048576 )) MB compressed"
