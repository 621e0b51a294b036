# Shared helpers for the project's scripts (sourced, not run).

# Repository root, whatever the caller's working directory.
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

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
