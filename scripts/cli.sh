#!/usr/bin/env bash
# The jcilium admin console with a fast start.
#
#   scripts/cli.sh                      interactive shell
#   scripts/cli.sh status               one command; exit code 0 ok, 1 failed, 2 usage error
#   scripts/cli.sh --jcilium.services.identity.url=http://10.0.0.5:8281 status identity
#
# A plain `java -jar cli-shell.jar` spends most of a one-shot command loading and verifying
# classes. So on first use (and whenever the jar changes) this script
#   1. extracts the Spring Boot jar (`-Djarmode=tools extract`), because class data sharing
#      needs classes on a plain class path, not nested jars;
#   2. runs `status` once with -XX:ArchiveClassesAtExit to record the loaded classes in a CDS
#      archive (a training run; it does not matter whether any service is up);
# and then starts the console from the extracted jar with -XX:SharedArchiveFile and C1 only
# (-XX:TieredStopAtLevel=1: a short-lived console never profits from C2).
#
# Environment: JAVA (default: java on PATH), JAVA_OPTS (extra JVM options),
# JCILIUM_CLI_JAR (default: cli-shell/target/cli-shell-*.jar, built by
# `./mvnw -pl cli-shell -am package`), JCILIUM_CLI_CACHE (default: cli-shell/target/cli-cds).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_bin="${JAVA:-java}"

jar="${JCILIUM_CLI_JAR:-}"
if [ -z "$jar" ]; then
  for candidate in "$repo"/cli-shell/target/cli-shell-*.jar; do
    case "$candidate" in *-plain.jar | *-sources.jar | *-javadoc.jar) continue ;; esac
    [ -f "$candidate" ] && jar="$candidate"
  done
fi
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "cli.sh: no console jar found; build it with: ./mvnw -q -pl cli-shell -am package -DskipTests" >&2
  exit 2
fi

cache="${JCILIUM_CLI_CACHE:-$repo/cli-shell/target/cli-cds}"
app_jar="$cache/$(basename "$jar")"
archive="$cache/cli.jsa"
# The archive is only valid for this jar and this JVM.
stamp="$(stat -c '%s %Y' "$jar") $(readlink -f "$(command -v "$java_bin")")"

if [ ! -f "$archive" ] || [ "$(cat "$cache/stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "cli.sh: preparing a fast start for $(basename "$jar") (once per build, ~20 s)..." >&2
  mkdir -p "$(dirname "$cache")"
  work="$(mktemp -d "${cache}.tmp.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  "$java_bin" -Djarmode=tools -jar "$jar" extract --destination "$work/app" >"$work/extract.log" 2>&1 || {
    cat "$work/extract.log" >&2
    exit 1
  }
  # Train on the one-shot path: context start, `status` with its HTTP and gRPC clients.
  # Nothing needs to answer; a short timeout keeps the run short even if a host is a black hole.
  "$java_bin" -XX:ArchiveClassesAtExit="$work/app/cli.jsa" -XX:TieredStopAtLevel=1 \
    -jar "$work/app/$(basename "$jar")" --jcilium.cli.status.timeout=1s status >"$work/training.log" 2>&1 || true
  if [ ! -f "$work/app/cli.jsa" ]; then
    echo "cli.sh: the CDS training run wrote no archive; see $work/training.log" >&2
    trap - EXIT
    exit 1
  fi
  echo "$stamp" >"$work/app/stamp"
  rm -rf "$cache"
  mv "$work/app" "$cache"
  rm -rf "$work"
  trap - EXIT
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options on purpose
exec "$java_bin" -XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -XX:TieredStopAtLevel=1 ${JAVA_OPTS:-} -jar "$app_jar" "$@"
