#!/usr/bin/env bash
# Assembles a base image for the services' images, with no Docker daemon and no image registry:
# a root file system from Debian's own packages (`apt-get download` + `dpkg -x`) and a Java
# runtime `jlink`ed from the build's JDK, written as a docker-archive tarball that Jib takes as
# its base (`tar://`). The Maven build calls it (profile `images`, see the parent pom).
#
#   images/base-image.sh java  OUT.tar   glibc, libstdc++, zlib and the runtime: the cluster
#                                        services (identity, ipam, operator, relay, bgp); no shell
#   images/base-image.sh agent OUT.tar   the above plus what the agent runs on a node: iproute2
#                                        (ip, tc), nsenter, libbpf, and busybox for the shell the
#                                        chart's init containers need (sh, cp, mv, printf, mount)
#
# The runtime is jlinked from Java 25 or later when the machine has one (Temurin, beside the
# default JDK on these machines), with the JDK's own class-data archive (see "Class data"
# below); else from the build's JDK 17, without it: its archive differs at every dump.
# JCILIUM_IMAGE_JAVA_HOME picks the JDK.
#
# Reproducible: the same packages and JDK give a byte-identical tarball (sorted entries, every
# time 0, owner root, no compression). The package versions and the JDK are listed in the image
# at /usr/share/jcilium/base-image.txt. An OUT whose recorded inputs match is kept as it is.
set -euo pipefail

flavor=${1:?usage: base-image.sh java|agent OUT.tar}
out=${2:?usage: base-image.sh java|agent OUT.tar}
here=$(cd "$(dirname "$0")" && pwd)
build_java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
image_java_home() {
  local candidate
  if [ -n "${JCILIUM_IMAGE_JAVA_HOME:-}" ]; then
    echo "$JCILIUM_IMAGE_JAVA_HOME"
    return
  fi
  for candidate in /usr/lib/jvm/temurin-2[5-9]-* /usr/lib/jvm/*-2[5-9]-*; do
    [ -x "$candidate/bin/jlink" ] && echo "$candidate" && return
  done
  echo "$build_java_home"
}
java_home=$(image_java_home)
java_feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release")

case "$flavor" in
  java | agent) ;;
  *) echo "base-image: unknown flavor '$flavor' (java or agent)" >&2; exit 2 ;;
esac

# Packages whose files go into the image whole (docs, man pages and locales removed).
packages=(libc6 libgcc-s1 libstdc++6 zlib1g)
# Packages of which only the listed files are kept, with the libraries they load.
declare -A picks=()
if [ "$flavor" = agent ]; then
  packages+=(iproute2 libbpf1 libelf1 libmnl0 libbsd0 libmd0 libcap2 libxtables12 libselinux1 libpcre2-8-0)
  picks[util-linux]="usr/bin/nsenter"
  picks[busybox-static]="bin/busybox"
fi
# busybox applets linked in the agent image: what the chart's init containers and a debugging
# session need; ip, tc and nsenter stay the real ones.
applets=(sh cat cp mv rm ln ls mkdir printf mount umount grep sed env sleep test echo chmod)
# Java modules of the runtime: what Spring Boot, Netty, gRPC, Lettuce and the fabric8 client
# load (java.desktop for java.beans, jdk.unsupported for Netty's Unsafe, jdk.crypto.ec for TLS).
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.random,jdk.unsupported,jdk.zipfs
jre=/usr/lib/jvm/jre

# A JDK from 24 on may link from its own run-time image, without jmods (JEP 493).
if [ ! -x "$java_home/bin/jlink" ] || { [ ! -f "$java_home/jmods/java.base.jmod" ] && [ "${java_feature:-0}" -lt 24 ]; }; then
  echo "base-image: $java_home has no jlink or no jmods; build with a JDK that has both" \
    "(Debian's openjdk-17-jdk-headless, from scripts/setup.sh), or set JCILIUM_IMAGE_JAVA_HOME to one" >&2
  exit 1
fi
# Modules a later JDK folded into others (jdk.random into java.base in 23) are left out.
mapfile -t jdk_modules < <("$java_home/bin/java" --list-modules | sed 's/@.*//')
modules=$(tr ',' '\n' <<< "$modules" | grep -Fxf <(printf '%s\n' "${jdk_modules[@]}") | paste -sd, -)

work=$(mktemp -d "${TMPDIR:-/tmp}/jcilium-base-$flavor.XXXXXX")
trap 'rm -rf "$work"' EXIT
debs=${JCILIUM_DEB_CACHE:-$(dirname "$out")/debs}
mkdir -p "$debs" "$(dirname "$out")"
# One assembly at a time per package cache: a parallel build (-T) asks for the same base from
# several modules at once (the later ones wait, then find it up to date), and the two flavors
# download into the same cache.
exec 9> "$debs/.base-image.lock"
flock 9

# The exact inputs: package versions as apt would fetch them now, and the JDK's release.
all_packages=("${packages[@]}" "${!picks[@]}")
mapfile -t sorted_packages < <(printf '%s\n' "${all_packages[@]}" | sort)
versions() {
  apt-cache policy "${sorted_packages[@]}" | awk '/^[^ ]/ { p = $1; sub(/:$/, "", p) } /Candidate:/ { print p, $2 }'
}
{
  echo "jcilium base image '$flavor', assembled by images/base-image.sh"
  echo "jdk $(sed -n 's/^IMPLEMENTOR_VERSION="\(.*\)"/\1/p; s/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$java_home/release" | tr '\n' ' ')"
  echo "modules $modules"
  versions | sed 's/^/deb /'
  sha256sum "$0" | awk '{ print "script " $1 }'
} > "$work/base-image.txt"
if grep -q '<none>\|(none)' "$work/base-image.txt"; then
  echo "base-image: apt knows no candidate for some packages (run apt-get update):" >&2
  grep '<none>\|(none)' "$work/base-image.txt" >&2
  exit 1
fi
if [ -f "$out" ] && [ -f "$out.inputs" ] && cmp -s "$work/base-image.txt" "$out.inputs"; then
  echo "base-image: $out is up to date"
  exit 0
fi

# Downloads what the cache misses; a stale package list is refreshed once.
fetch() {
  (cd "$debs" && apt-get download -qq "$@" > /dev/null 2>&1)
}
missing=()
for p in "${sorted_packages[@]}"; do
  v=$(awk -v p="$p" '$1 == "deb" && $2 == p { print $3 }' "$work/base-image.txt")
  ls "$debs/${p}_"*".deb" 2> /dev/null | grep -q . || missing+=("$p")
  # A cached .deb of another version is replaced.
  for f in "$debs/${p}_"*.deb; do
    [ -e "$f" ] || continue
    [ "$(dpkg-deb -f "$f" Version)" = "$v" ] || { rm -f "$f"; missing+=("$p"); }
  done
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "base-image: downloading ${missing[*]}"
  fetch "${missing[@]}" || { apt-get update -qq && fetch "${missing[@]}"; } || {
    echo "base-image: apt-get download ${missing[*]} failed (is Debian's apt reachable?)" >&2
    exit 1
  }
fi
deb_of() { ls "$debs/${1}_"*.deb | head -n 1; }

rootfs=$work/rootfs
mkdir -p "$rootfs"
for p in "${packages[@]}"; do
  dpkg-deb -x "$(deb_of "$p")" "$rootfs"
done
for p in "${!picks[@]}"; do
  mkdir -p "$work/pick/$p"
  dpkg-deb -x "$(deb_of "$p")" "$work/pick/$p"
  for f in ${picks[$p]}; do
    mkdir -p "$rootfs/$(dirname "$f")"
    cp -a "$work/pick/$p/$f" "$rootfs/$f"
  done
done
rm -rf "$rootfs"/usr/share/{doc,man,info,locale,lintian,bug,bash-completion} "$rootfs"/etc/init.d

# Debian 12's layout is merged /usr: /bin, /sbin, /lib, /lib64 are links into /usr.
for d in bin sbin lib lib64; do
  if [ -d "$rootfs/$d" ] && [ ! -L "$rootfs/$d" ]; then
    mkdir -p "$rootfs/usr/$d"
    cp -a "$rootfs/$d/." "$rootfs/usr/$d/"
    rm -rf "${rootfs:?}/$d"
  fi
  mkdir -p "$rootfs/usr/$d"
  ln -s "usr/$d" "$rootfs/$d"
done
if [ "$flavor" = agent ]; then
  for a in "${applets[@]}"; do
    [ -e "$rootfs/usr/bin/$a" ] || ln -s busybox "$rootfs/usr/bin/$a"
  done
fi

"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$rootfs$jre"
# Class data. The JDK's own archive (lib/server/classes.jsa, as a full JDK ships it): the
# runtime's classes parsed, verified and laid out once here instead of at every start. Java 25
# writes it byte for byte the same from the same runtime with a fixed heap; Java 17 does not
# (its archive differs at every dump), so its images go without. Each service's image replaces
# it with an archive of its own start, the JDK's classes and the jars' (images/class-data.sh);
# this one serves an image built where that step cannot run. The dump runs with the option
# every service's image starts with (the parent pom's Jib jvmFlags): the JVM maps the archived
# module graph only when --enable-native-access is the same at dump and at run, and without it
# the JDK's archive would leave the module system to be built at every start.
if [ "${java_feature:-0}" -ge 25 ]; then
  "$rootfs$jre/bin/java" --enable-native-access=ALL-UNNAMED -Xshare:dump -Xms128m -Xmx128m > "$work/cds.log" 2>&1 \
    || { echo "base-image: the runtime's class-data dump failed:" >&2; tail -20 "$work/cds.log" >&2; exit 1; }
  [ -f "$rootfs$jre/lib/server/classes.jsa" ] \
    || { echo "base-image: the dump wrote no $jre/lib/server/classes.jsa" >&2; exit 1; }
fi
mkdir -p "$rootfs/usr/bin"
ln -s "../lib/jvm/jre/bin/java" "$rootfs/usr/bin/java"

# Users: root for the agent (and bgp-service, which binds port 179), nonroot (65532, as
# distroless) for the cluster services. No login shells, no passwords.
mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/run" "$rootfs/var" "$rootfs/usr/share/jcilium"
chmod 1777 "$rootfs/tmp"
# As on a Debian host: runtimes hand pods' network namespaces as /var/run/netns/... or /run/netns/...
ln -s ../run "$rootfs/var/run"
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' \
  > "$rootfs/etc/passwd"
printf '%s\n' 'root:x:0:' 'nonroot:x:65532:' > "$rootfs/etc/group"
printf '%s\n' 'hosts: files dns' 'networks: files' 'protocols: files' 'services: files' > "$rootfs/etc/nsswitch.conf"
mkdir -p "$rootfs/root" "$rootfs/home/nonroot"
chown -R 0:0 "$rootfs"
chmod 700 "$rootfs/root"
chown 65532:65532 "$rootfs/home/nonroot"
cp "$work/base-image.txt" "$rootfs/usr/share/jcilium/base-image.txt"
# The dynamic loader's cache, so every library resolves without a search of the disk.
printf '%s\n' /usr/lib/x86_64-linux-gnu "$jre/lib" "$jre/lib/server" > "$rootfs/etc/ld.so.conf"
ldconfig -r "$rootfs"
# Its auxiliary cache (file times and inodes of this machine) has no use in the image.
rm -rf "$rootfs/var/cache/ldconfig"

# Every ELF file must find each library it needs inside the image.
check_libraries() {
  local bad=0 f
  while IFS= read -r f; do
    file_in=${f#"$rootfs"}
    if ! out_ldd=$(chroot "$rootfs" /usr/lib64/ld-linux-x86-64.so.2 --list "$file_in" 2>&1); then
      grep -q 'not a dynamic executable\|statically linked' <<< "$out_ldd" && continue
    fi
    if grep -q 'not found' <<< "$out_ldd"; then
      echo "base-image: $file_in: $(grep 'not found' <<< "$out_ldd" | tr -s ' \t\n' ' ')" >&2
      bad=1
    fi
  done < <(find "$rootfs/usr/bin" "$rootfs/usr/sbin" "$rootfs$jre" -type f \( -perm -u+x -o -name '*.so' \) 2> /dev/null)
  return $bad
}
check_libraries || { echo "base-image: libraries are missing; add their packages to $0" >&2; exit 1; }

# The image: one layer, its config, and the manifest, in docker-archive form.
layer=$work/layer.tar
# Owners as set above (root; nonroot's home), by number.
tar --sort=name --mtime=@0 --numeric-owner --format=gnu -C "$rootfs" -cf "$layer" \
  $(cd "$rootfs" && ls -A | sort)
layer_sha=$(sha256sum "$layer" | cut -d' ' -f1)
user=root
[ "$flavor" = java ] && user=65532:65532
jdk_version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$java_home/release")
cat > "$work/config.json" << EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"User":"$user","Env":["PATH=$jre/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$jre","LANG=C.UTF-8"],"WorkingDir":"/","Labels":{"org.opencontainers.image.title":"jcilium base ($flavor)","org.opencontainers.image.description":"Debian 12 packages and a jlinked Java $jdk_version runtime, assembled by images/base-image.sh"}},"rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"images/base-image.sh $flavor"}]}
EOF
config_sha=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mkdir -p "$work/archive/$layer_sha"
mv "$layer" "$work/archive/$layer_sha/layer.tar"
mv "$work/config.json" "$work/archive/$config_sha.json"
printf '[{"Config":"%s.json","RepoTags":["localhost/jcilium/base-%s:latest"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_sha" "$flavor" "$layer_sha" > "$work/archive/manifest.json"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$work/archive" \
  -cf "$out.tmp" manifest.json "$config_sha.json" "$layer_sha"
mv -f "$out.tmp" "$out"
cp "$work/base-image.txt" "$out.inputs"
echo "base-image: $out ($flavor, $(du -m "$out" | cut -f1) MB, sha256 $(sha256sum "$out" | cut -c1-12))"
