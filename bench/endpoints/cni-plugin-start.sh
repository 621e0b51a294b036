#!/usr/bin/env bash
# The CNI plugin's own cost per call: the static C binary against the shell script around
# curl it replaced (taken from git history), measured in the same run, interleaved. Three
# calls that need no agent work: VERSION (start-up alone); CHECK against a responder on a
# unix socket that answers at once (config read, checks, one HTTP exchange); DEL with no
# agent listening (the "agent down" path). Prints p50/p99 per call and the ratio new/old.
#   bench/endpoints/cni-plugin-start.sh [RUNS]   (default 300 per call and plugin)
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$REPO_ROOT"

runs=${1:-300}
binary=agent-service/target/classes/cni/jcilium-cni
[ -x "$binary" ] || { echo "build first: ./mvnw -B -q -DskipTests package" >&2; exit 1; }
command -v curl > /dev/null || { echo "needs curl (the old plugin's client): apt-get install curl" >&2; exit 1; }
removed=$(git log -1 --format=%H --diff-filter=D -- agent-service/src/main/cni/jcilium-cni)
[ -n "$removed" ] || { echo "the shell plugin is not in this checkout's history" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/jcilium-cni-bench.XXXXXX")
responder=
cleanup() {
  [ -n "$responder" ] && kill "$responder" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
git show "$removed^:agent-service/src/main/cni/jcilium-cni" > "$work/jcilium-cni.sh"
chmod +x "$work/jcilium-cni.sh"

# A responder that answers every request at once with a CNI result.
python3 - "$work/agent.sock" <<'PY' &
import os, socket, sys
server = socket.socket(socket.AF_UNIX)
server.bind(sys.argv[1] + ".tmp")
server.listen(64)
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
body = b'{"cniVersion":"1.0.0"}'
while True:
    conn, _ = server.accept()
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next((int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")), 0)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
    conn.close()
PY
responder=$!
for _ in $(seq 100); do [ -S "$work/agent.sock" ] && break; sleep 0.1; done
[ -S "$work/agent.sock" ] || { echo "responder did not start" >&2; exit 1; }

# The calls are timed in one Python process (spawn to exit), so the clock adds no fork of
# its own to either plugin.
python3 - "$runs" "$work/jcilium-cni.sh" "$binary" "$work/agent.sock" "$work/absent.sock" <<'PY'
import os, subprocess, sys, time
runs, script, binary, live, absent = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]

def call(plugin, command, socket):
    config = '{"cniVersion":"1.0.0","name":"jcilium","type":"jcilium-cni","agentSocket":"%s"}' % socket
    env = dict(os.environ, CNI_COMMAND=command, CNI_CONTAINERID="c0ffee", CNI_NETNS="/run/netns/none",
               CNI_IFNAME="eth0", CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME=p",
               CNI_PATH="/opt/cni/bin")
    start = time.perf_counter()
    subprocess.run([plugin], input=config.encode(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1e6

def pct(values, p):
    values = sorted(values)
    return values[max(0, (len(values) * p + 99) // 100 - 1)]

print("CNI plugin per-call cost, %d calls each, interleaved; load average: %s"
      % (runs, " ".join(open("/proc/loadavg").read().split()[:3])))
print("%-8s %14s %14s %14s %14s %10s %10s" % ("call", "script p50 us", "script p99 us", "binary p50 us",
                                            "binary p99 us", "p50 ratio", "p99 ratio"))
for command, socket in (("VERSION", absent), ("CHECK", live), ("DEL", absent)):
    old, new = [], []
    for _ in range(runs):
        old.append(call(script, command, socket))
        new.append(call(binary, command, socket))
    o50, o99, n50, n99 = pct(old, 50), pct(old, 99), pct(new, 50), pct(new, 99)
    print("%-8s %14.0f %14.0f %14.0f %14.0f %10.3f %10.3f" % (command, o50, o99, n50, n99, n50 / o50, n99 / o99))
print("load average after: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
PY
