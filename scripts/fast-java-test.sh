#!/usr/bin/env bash
# Checks of lib.sh fast_java, the way scripts/ start services (issue 20 point 1): on the JVM
# it picks, each service's fast start is a cache the JVM starts with; the training runs the
# service to readiness in a network namespace of its own (where the machine gives one), never
# reaching what listens on this machine, against the training API server
# (scripts/training-apiserver.py), never the caller's KUBECONFIG, and leaves no process
# behind; asked for, it trains to the context's refresh instead; a cache that does not start
# the JVM is trained again without AOT class linking, and the service still starts the fast
# way; each service's training uses its Spring AOT processing. Each check prints PASS or FAIL;
# the exit status is the number of failures.
#
# Usage: scripts/fast-java-test.sh   (needs the service jars: ./mvnw -B -q -DskipTests package)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

passed=0
failed=0
WORK=$(mktemp -d -t jcilium-fast-java-test-XXXXXX)
completed=false
private_network=
caller_api=
identity_trap=
finish() {
  local status=$?
  trap - EXIT INT TERM
  for listener in $caller_api $identity_trap; do
    kill "$listener" 2> /dev/null || true
  done
  rm -rf "$WORK"
  checks_exit fast-java-test "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

SERVICES="agent-service operator-service identity-service ipam-service bgp-service relay-service"
for service in $SERVICES; do
  [ -n "$(runnable_jar "$service")" ] || { echo "fast-java-test: $service is not built (./mvnw -B -q -DskipTests package)" >&2; exit 1; }
done

# The JVM's own words on whether it starts with the cache fast_java chose.
starts_with_cache() { # service
  local n=${#FAST_JAVA[@]} app
  app=${FAST_JAVA[n - 1]}
  [[ " ${FAST_JAVA[*]} " == *" -XX:AOTCache="* || " ${FAST_JAVA[*]} " == *" -XX:SharedArchiveFile="* ]] || return 1
  "${FAST_JAVA[@]:0:n-2}" -cp "$app" -version > "$WORK/$1.version.log" 2>&1
}

# A listener on 127.0.0.1:PORT, in the background, that writes a line to LOG for every
# connection: where a training must never connect.
connection_trap() { # port log
  python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
while True:
    c, _ = s.accept(); open(sys.argv[2], "a").write("connected\n"); c.close()
' "$1" "$2" &
}

# A caller's KUBECONFIG the training must not use: its server is a port this script listens on
# and records whatever connects.
free_port trap_port
connection_trap "$trap_port" "$WORK/caller-api.log"
caller_api=$!
cat > "$WORK/kubeconfig" << KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: caller
  cluster:
    server: http://127.0.0.1:$trap_port
users:
- name: caller
  user: {}
contexts:
- name: caller
  context:
    cluster: caller
    user: caller
current-context: caller
KUBECONFIG

# Where the agent's identity-service is when nothing says otherwise (localhost:9281): a training
# run in a network of its own never reaches what listens there on this machine.
if private_network=$(fast_java_private_network); then
  if python3 -c 'import socket; socket.socket().bind(("127.0.0.1", 9281))' 2> /dev/null; then
    connection_trap 9281 "$WORK/host-identity.log"
    identity_trap=$!
  else
    echo "fast-java-test: 127.0.0.1:9281 is taken here; not checking that the training never reaches it"
  fi
else
  echo "fast-java-test: no network namespace for a training here (unshare, ip, curl, root or user namespaces); checking the training to the context's refresh"
fi

# Fresh caches of every service (the agent reads the API server while its context refreshes,
# the operator only once it leads), which the scripts after this one start with.
for service in $SERVICES; do
  jar=$(runnable_jar "$service")
  rm -rf "$(dirname "$jar")/fast-start"
  KUBECONFIG=$WORK/kubeconfig fast_java "$jar" 2> "$WORK/$service.prepare.log"
  check "$service: Java $(java_feature_version "$(fast_java_bin)") starts with the cache of its fast start" \
    starts_with_cache "$service"
  check "$service: its training had the training API server" \
    grep -q "the training API server http://127.0.0.1:[0-9]* answered [0-9]* requests" \
    "$(fast_java_cache_dir "$jar")/training.log"
  if [ -n "$private_network" ]; then
    check "$service: its training ran to readiness (answered its health check) in a network of its own" \
      grep -Eq "the training answered GET /actuator/health with HTTP [1-5][0-9][0-9]" \
      "$(fast_java_cache_dir "$jar")/training.log"
  fi
  # Each jar is processed ahead of time (Spring AOT): its training and its starts use the
  # generated bean definitions, which the training's settings (no cloud platform, its own API
  # server and Redis) must not turn off (io.jcilium.aot would log "Spring AOT off" and why).
  check "$service: its training started from the build's Spring AOT processing" \
    bash -c 'grep -q "Starting AOT-processed " "$1" && ! grep -q "Spring AOT off" "$1"' _ \
    "$(fast_java_cache_dir "$jar")/training.log"
done
if [ -n "$identity_trap" ]; then
  check "the agent's training never reached this machine's localhost:9281 (its default identity-service)" \
    test ! -s "$WORK/host-identity.log"
  kill "$identity_trap" 2> /dev/null || true
  wait "$identity_trap" 2> /dev/null || true
fi
check "agent-service: the training API server answered its training's requests" \
  grep -q "the training API server http://127.0.0.1:[0-9]* answered [1-9][0-9]* requests" \
  "$(fast_java_cache_dir "$(runnable_jar agent-service)")/training.log"
sleep 1
check "the training never reached the caller's KUBECONFIG" test ! -s "$WORK/caller-api.log"
check "no training API server is left running" bash -c '! pgrep -f "[t]raining-apiserver.py" > /dev/null'
check "no training JVM is left running" bash -c '! pgrep -f -- "-XX:[A]OTCacheOutput=|-XX:[A]rchiveClassesAtExit=" > /dev/null'

# Asked for the training to the context's refresh (where no network namespace can be had, it is
# the only one): no server is started, and the cache still starts the service.
jar=$(runnable_jar operator-service)
cp "$jar" "$WORK/refresh-exec.jar"
JCILIUM_FAST_JAVA_TRAINING=refresh fast_java "$WORK/refresh-exec.jar" 2> "$WORK/refresh.prepare.log"
check "a training to the context's refresh starts no server" \
  bash -c "! grep -q 'the training answered GET /actuator/health' '$(fast_java_cache_dir "$WORK/refresh-exec.jar")/training.log'"
check "the cache of a training to the context's refresh starts the service" starts_with_cache refresh
kill "$caller_api" 2> /dev/null || true
wait "$caller_api" 2> /dev/null || true

# A training whose shell is killed (a script interrupted mid-training) leaves no training API
# server behind: the stub watches that shell.
# (The training's stand-in: a sleep of a length nothing else here sleeps, found by it.)
bash -c "source scripts/lib.sh; fast_java_training_env '$WORK/killed' sleep 613" > /dev/null 2>&1 &
killed_shell=$!
wait_for 10 pgrep -f "[t]raining-apiserver.py $killed_shell" > /dev/null || true
kill -KILL "$killed_shell" 2> /dev/null || true
wait "$killed_shell" 2> /dev/null || true
pkill -x -f "sleep 613" 2> /dev/null || true
check "a killed training's API server ends with it" \
  wait_for 10 bash -c "! pgrep -f '[t]raining-apiserver.py $killed_shell' > /dev/null"

# A JVM that crashes with an AOT-linked cache (as Java 25.0.3 did with an agent cache trained
# against a refused connection, and with the agent's Spring AOT start now and then): the training
# runs once more, then without AOT class linking, and the service still gets a cache it starts
# with.
if [ "$(java_feature_version "$(fast_java_bin)")" -ge 25 ]; then
  real=$(fast_java_bin)
  mkdir -p "$WORK/jvm/bin"
  cp "${real%/bin/java}/release" "$WORK/jvm/"
  cat > "$WORK/jvm/bin/java" << JAVA
#!/usr/bin/env bash
for arg in "\$@"; do
  [ "\$arg" != -XX:-AOTClassLinking ] || touch "$WORK/jvm/unlinked"
done
if [[ " \$* " == *" -version "* && " \$* " == *" -XX:AOTCache="* && ! -f "$WORK/jvm/unlinked" ]]; then
  kill -ABRT \$\$
fi
exec "$real" "\$@"
JAVA
  chmod +x "$WORK/jvm/bin/java"
  jar=$(runnable_jar operator-service)
  cp "$jar" "$WORK/crash-exec.jar"
  JCILIUM_JAVA=$WORK/jvm/bin/java fast_java "$WORK/crash-exec.jar" 2> "$WORK/crash.prepare.log"
  check "a cache that crashes the JVM is trained once more, with AOT class linking" \
    grep -q "training it once more" "$WORK/crash.prepare.log"
  check "a cache that crashes the JVM again is trained without AOT class linking" \
    grep -q "training it again without AOT class linking" "$WORK/crash.prepare.log"
  check "the service still starts the fast way, with the unlinked cache" starts_with_cache crash
fi
completed=true
