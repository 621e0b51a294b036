#!/usr/bin/env bash
# End-to-end test of a simulated two-node cluster (scripts/cluster.sh) in one routing mode:
# pods on both nodes through the CNI plugin, routes between the nodes from their CiliumNodes
# (into the VXLAN overlay, or direct), real TCP connections within and across nodes, ingress
# policy by identity across nodes, a node that leaves and joins again, an agent restart that
# loses no connection, pods reaching the outside (which has no route to them) masqueraded to
# their node's address (TCP, a ping, and an ICMP port unreachable back to the pod), and a `down` that leaves nothing behind. In tunnel mode also: the
# pods' MTU, the sender's identity as the VNI on the underlay, and forged VXLAN packets (a
# known node claiming another identity, a stranger claiming an allowed one) that never gain
# what they claim. Each check prints PASS or FAIL; the exit status is the number of failures
# (at most 125), or non-zero when a step the checks need fails and the run aborts early.
# Needs root and the jars built.
#   scripts/cluster-e2e.sh [tunnel|native]         the routing mode (default tunnel)
#   scripts/cluster-e2e.sh mtls                    tunnel, with mTLS between every service and
#                                                  per-node agent certificates, as the chart runs
#                                                  it; its own short list of checks
#                                                  (scripts/cluster-e2e-mtls.sh)
#   CLUSTER_E2E_LOGS=DIR scripts/cluster-e2e.sh    also keep the services' logs in DIR
set -uo pipefail
source "$(dirname "$0")/lib.sh"
CLUSTER_DIR=${CLUSTER_DIR:-$REPO_ROOT/.cluster-e2e-$$}
CLUSTER_ROUTING=${1:-tunnel}
mtls=false
if [ "$CLUSTER_ROUTING" = mtls ]; then
  mtls=true
  CLUSTER_ROUTING=tunnel
fi
# The state of the `up` this test interrupts; not named after $CLUSTER_DIR, so what one run
# might leave never counts against the other.
interrupted_dir=$REPO_ROOT/.cluster-e2e-interrupted-$$
[[ "$CLUSTER_ROUTING" =~ ^(tunnel|native)$ ]] \
  || { echo "scripts/cluster-e2e.sh takes the routing mode, tunnel or native, or mtls; got '$CLUSTER_ROUTING'" >&2; exit 2; }
source "$(dirname "$0")/cluster-lib.sh"
require_root "scripts/cluster-e2e.sh"
cd "$REPO_ROOT"
# Every jar the run starts, the console's too (the Hubble checks ask node-2's agent through
# it): a missing one would only show as a failed check far into the run.
for module in dev-apiserver identity-service ipam-service operator-service agent-service; do
  [ -n "$(runnable_jar "$module")" ] \
    || { echo "scripts/cluster-e2e.sh: the $module jar is not built (./mvnw -B -q -DskipTests package)" >&2; exit 2; }
done
compgen -G "cli-shell/target/cli-shell-*.jar" > /dev/null \
  || { echo "scripts/cluster-e2e.sh: the console jar is not built (./mvnw -B -q -pl cli-shell -am -DskipTests package)" >&2; exit 2; }

passed=0
failed=0
completed=false

keep_logs() {
  [ -z "${CLUSTER_E2E_LOGS:-}" ] || [ ! -d "$CLUSTER_DIR/logs" ] || cp -r "$CLUSTER_DIR/logs" "$CLUSTER_E2E_LOGS"
}

# Runs on every exit; only a run that reached its last line may report the failure count as
# its status.
finish() {
  local status=$?
  trap - EXIT INT TERM
  keep_logs
  cluster_down
  # What an interrupted up might have left (checked above) goes too, by its run id when its
  # directory is already gone.
  CLUSTER_DIR=$interrupted_dir cluster_down
  [ -z "${interrupted_run:-}" ] || cluster_purge "$interrupted_run"
  echo "routing mode $CLUSTER_ROUTING$($mtls && echo ', mTLS with per-node agent certificates')"
  checks_exit cluster-e2e "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

connects() { # FROM-PART IP: whether a new TCP connection to IP:8080 gets an HTTP answer
  in_ns "$1" curl -s -o /dev/null --max-time 2 "http://$2:8080/"
}
denied() { ! connects "$@"; }
not() { ! "$@"; }
has_route() { # NODE CIDR GATEWAY: whether node-NODE routes CIDR via GATEWAY with the agent's protocol
  in_ns "node-$1" ip route show "$2" proto 198 | grep -q "via $3 "
}
node_has_any_route() { # NODE GATEWAY: whether node-NODE routes any pod CIDR via GATEWAY
  in_ns "node-$1" ip route show proto 198 | grep -q "via $2 "
}
no_route() { [ -z "$(in_ns "node-$1" ip route show "$2" proto 198)" ]; }
pod_cidr() { cluster_kubectl get ciliumnode "node-$1" -o jsonpath='{.spec.ipam.podCIDRs[0]}'; }

# seconds_until BOUND COMMAND...: waits for COMMAND (at most BOUND seconds) and prints how
# long it took; fails at the bound. The time is reported, never asserted.
seconds_until() {
  local bound=$1 start_ns
  start_ns=$(date +%s%N)
  shift
  wait_for "$bound" "$@" || return 1
  printf '%d.%d' $((($(date +%s%N) - start_ns) / 1000000000)) $((($(date +%s%N) - start_ns) / 100000000 % 10))
}

# A TCP server that answers every connection with the peer address and port it sees.
PEER_SERVER='
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(64)
while True:
    c, peer = s.accept()
    c.sendall(("%s %d\n" % peer).encode())
    c.close()
'
peer_server_listening() { in_ns outside ss -Htln "sport = :8081" | grep -q .; }
# peer_seen POD SPORT: what the outside's peer server saw of a connection from POD's SPORT.
udp_refused() { # POD: a connected UDP datagram to a closed port of the outside: refused, timeout or answered
  in_ns "$1" /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.connect((sys.argv[1], 9))
s.send(b"anyone?")
try:
    s.recv(2048)
    print("answered")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")
' "$CLUSTER_WORLD_IP" 2> /dev/null
}
peer_seen() {
  in_ns "$1" /usr/bin/python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], 8081), timeout=5, source_address=("0.0.0.0", int(sys.argv[2])))
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
print(s.makefile().readline().strip())
' "$CLUSTER_WORLD_IP" "$2" 2> /dev/null
}

pod_mtu() { in_ns "$1" ip -o link show eth0 | grep -o 'mtu [0-9]*' | cut -d' ' -f2; }
cep_identity() { cluster_kubectl get ciliumendpoint "$1" -n demo -o jsonpath='{.status.identity.id}'; }

# vni_on_underlay IDENTITY: whether a new connection from a (node-1) to c (node-2) crosses
# node-2's underlay link as VXLAN whose VNI is IDENTITY.
vni_on_underlay() {
  local capture=$CLUSTER_DIR/vni.txt
  in_ns node-2 timeout 30 tcpdump -i eth0 -nn -l -c 1 -T vxlan "udp dst port 8472 and src host 172.29.0.11" \
    > "$capture" 2> "$capture.err" &
  local dump=$!
  wait_for 30 grep -q "listening on" "$capture.err" || { kill "$dump"; return 1; }
  connects pod-a "$ip_c"
  wait "$dump"
  grep -q "vni $1\b" "$capture"
}

# syn_reaches_c FROM-PART VNI SPORT: whether a TCP SYN from a's address to c:8080, sent as
# VXLAN with VNI to node-2 from FROM-PART's network namespace (scripts/vxlan-probe.py),
# reaches c's eth0. Three copies, and 20 s for one of them to show.
syn_reaches_c() {
  local capture=$CLUSTER_DIR/probe-$3.txt
  in_ns pod-c timeout 20 tcpdump -i eth0 -nn -l -c 1 "tcp dst port 8080 and src host $ip_a and src port $3" \
    > "$capture" 2> "$capture.err" &
  local dump=$!
  wait_for 30 grep -q "listening on" "$capture.err" || { kill "$dump"; return 1; }
  for _ in 1 2 3; do
    in_ns "$1" /usr/bin/python3 "$REPO_ROOT/scripts/vxlan-probe.py" 172.29.0.12 "$2" "$ip_a" "$ip_c" 8080 "$3"
    sleep 0.5
  done
  wait "$dump"
  grep -q "Flags \[S\]" "$capture"
}

nothing_left() { # RUN DIR: whether nothing of cluster run RUN with state in DIR remains; prints what does
  local left pid command
  left=$(
    ip netns list | grep -- "jc-$1-" | sed 's/^/  namespace /'
    [ ! -e "$2" ] || echo "  directory $2"
    ls /sys/fs/bpf "$CLUSTER_CGROUP_ROOT" | grep -- "jcilium-$1-" | sed 's/^/  pin or cgroup /'
    for pid in $(grep -laF -- "$2" /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | sort -u); do
      # (the grep itself names DIR, and is gone by now)
      command=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | cut -c1-160)
      [ -z "$command" ] || [ "$pid" = "$BASHPID" ] || [ "$pid" = $$ ] || echo "  process $pid: $command"
    done
  )
  [ -z "$left" ] && return 0
  echo "left behind by run $1:"
  echo "$left"
  return 1
}

mkdir -p "$REPO_ROOT/target"
if $mtls; then
  # shellcheck source=scripts/cluster-e2e-mtls.sh
  source "$(dirname "$0")/cluster-e2e-mtls.sh"
fi
# `up` interrupted half-way (Ctrl-C or SIGTERM while the control plane starts) removes what
# it created.
# Emptied before the up starts: a log left by an earlier run (test.sh runs this once per
# routing mode) would satisfy the wait below at once.
: > "$REPO_ROOT/target/cluster-e2e-interrupted.log"
CLUSTER_DIR=$interrupted_dir bash scripts/cluster.sh up 2 --routing "$CLUSTER_ROUTING" > "$REPO_ROOT/target/cluster-e2e-interrupted.log" 2>&1 &
upper=$!
wait_for 120 grep -q "control plane: identity-service" "$REPO_ROOT/target/cluster-e2e-interrupted.log" \
  || abort "the up to interrupt did not reach its control plane; see target/cluster-e2e-interrupted.log"
interrupted_run=$(sed -n 's/^CLUSTER_RUN=//p' "$interrupted_dir/cluster.env")
[ -n "$interrupted_run" ] || abort "the up to interrupt wrote no run id to $interrupted_dir/cluster.env"
kill -TERM "$upper"
wait "$upper"
check "an up interrupted while its services start leaves nothing of its run $interrupted_run behind" \
  nothing_left "$interrupted_run" "$interrupted_dir"

cluster_up 2 > "$REPO_ROOT/target/cluster-e2e-up.log" 2>&1 \
  || { cat "$REPO_ROOT/target/cluster-e2e-up.log"; abort "the cluster did not come up"; }
echo "cluster $CLUSTER_RUN up"
cidr1=$(pod_cidr 1)
cidr2=$(pod_cidr 2)

pod_add 1 demo a 'app: a' || abort "pod a on node-1"
ip_a=$POD_IP
pod_add 1 demo b 'app: b' || abort "pod b on node-1"
ip_b=$POD_IP
pod_add 2 demo c 'app: c' || abort "pod c on node-2"
ip_c=$POD_IP
own_cidr=false
[ "${ip_a%.*}" = "${cidr1%.*}" ] && [ "${ip_b%.*}" = "${cidr1%.*}" ] && [ "${ip_c%.*}" = "${cidr2%.*}" ] && own_cidr=true
check "pods get addresses from their own node's pod CIDR ($cidr1: a $ip_a, b $ip_b; $cidr2: c $ip_c)" $own_cidr
for pod in b c; do
  in_ns "pod-$pod" python3 -m http.server 8080 --directory "$CLUSTER_DIR/logs" > /dev/null 2>&1 &
done

check "node-1 routes node-2's pod CIDR $cidr2 via node-2 (172.29.0.12)" wait_for 60 has_route 1 "$cidr2" 172.29.0.12
check "node-2 routes node-1's pod CIDR $cidr1 via node-1 (172.29.0.11)" wait_for 60 has_route 2 "$cidr1" 172.29.0.11
check "a reaches b on the same node" wait_for 60 connects pod-a "$ip_b"
check "a on node-1 reaches c on node-2" wait_for 60 connects pod-a "$ip_c"
check "b on node-1 reaches c on node-2 while no policy selects c" connects pod-b "$ip_c"
# The outside world reaches the pods only through a router that knows the pod CIDRs.
in_ns outside ip route add "$cidr2" via 172.29.0.12
check "the outside namespace reaches c while no policy selects c" connects outside "$ip_c"

# Masquerade: the outside (198.51.100.1) has no route to node-1's pods, so only connections
# SNATed to node-1's address can be answered; its server answers with the peer it sees. The
# check above also shows that c's replies to a connection the outside opened keep c's address.
# (The run's directory as an unused argument: cluster_down stops the processes naming it.)
cluster_start outside peer-server /usr/bin/python3 -c "$PEER_SERVER" "$CLUSTER_WORLD_IP" 8081 "$CLUSTER_DIR"
wait_for 30 peer_server_listening || abort "the outside's peer server did not start"
seen_a=$(peer_seen pod-a 62000)
check "masquerade: a on node-1 reaches the outside, which has no route to pods, as node-1 ('$seen_a')" \
  [ "$seen_a" = "$(node_ip 1) 62000" ]
seen_b=$(peer_seen pod-b 62000)
own_port=false
[ "${seen_b% *}" = "$(node_ip 1)" ] && [ "$seen_b" != "$seen_a" ] && own_port=true
check "masquerade: b, same node, same source port 62000, same destination, gets a node port of its own ('$seen_b')" \
  $own_port
again_a=$(peer_seen pod-a 62000)
check "masquerade: a's next connection from 62000 still leaves as '$seen_a' ('$again_a')" [ "$again_a" = "$seen_a" ]
seen_c=$(peer_seen pod-c 40000)
check "masquerade: c on node-2 reaches the outside as node-2 ('$seen_c')" [ "${seen_c% *}" = "$(node_ip 2)" ]
check "masquerade: a's ping reaches the outside, which has no route to pods, and the echo reply comes back to a" \
  in_ns pod-a ping -c 1 -W 5 "$CLUSTER_WORLD_IP"
refused_a=$(udp_refused pod-a)
check "masquerade: a's UDP datagram to a closed port of the outside fails at once: the outside's port unreachable reaches a ('$refused_a')" \
  [ "$refused_a" = refused ]

cluster_kubectl apply -f - > /dev/null << 'POLICY' || abort "applying the policy"
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: c-from-a, namespace: demo}
spec:
  endpointSelector: {matchLabels: {app: c}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: a}}]
    toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
POLICY
check "policy on node-2: b on node-1 (another identity) is denied" wait_for 60 denied pod-b "$ip_c"
check "policy on node-2: a on node-1 (the allowed identity) still reaches c" connects pod-a "$ip_c"
check "policy on node-2: the outside namespace (world) is denied" denied outside "$ip_c"
# remote_named: node-2's Hubble (its agent's Observer API) names b, a pod of node-1, by
# namespace and pod name in the drop of b's SYN to c, as upstream names remote peers from the
# ipcache's Kubernetes metadata (issue 14 point 1); --from-pod selects on that name.
remote_named() {
  in_ns node-2 bash scripts/cli.sh hubble observe --server 127.0.0.1:4244 --from-pod demo/b --to-pod demo/c \
    --verdict DROPPED --last 100 -o json 2> /dev/null \
    | jq -e -s --arg ip "$ip_b" 'any(.[]; .flow.source.namespace == "demo" and .flow.source.pod_name == "b"
        and .flow.IP.source == $ip and .flow.destination.pod_name == "c"
        and .flow.drop_reason_desc == "POLICY_DENIED")' > /dev/null
}
denied pod-b "$ip_c"
check "Hubble on node-2 names b of node-1 (namespace, pod) in its Policy denied drop" wait_for 30 remote_named

if [ "$CLUSTER_ROUTING" = tunnel ]; then
  check "tunnel: node-1 routes node-2's pod CIDR into its VXLAN device" \
    in_ns node-1 sh -c "ip route show '$cidr2' proto 198 | grep -q 'dev cilium_vxlan'"
  check "tunnel: pods' links have MTU 1450, the underlay's 1500 less VXLAN's 50 (a: $(pod_mtu pod-a), c: $(pod_mtu pod-c))" \
    test "$(pod_mtu pod-a)-$(pod_mtu pod-c)" = 1450-1450
  id_a=$(cep_identity a)
  id_b=$(cep_identity b)
  [ -n "$id_a" ] && [ -n "$id_b" ] && [ "$id_a" != "$id_b" ] || abort "the identities of a and b ('$id_a', '$id_b')"
  check "tunnel: a's connection to c crosses the underlay as VXLAN with a's identity $id_a as its VNI" \
    vni_on_underlay "$id_a"
  # Forged VXLAN: the identity comes from the VNI, never from the inner address, and only
  # the nodes' tunnel endpoints may send. Distinct source ports: a tracked connection
  # would skip policy.
  check "tunnel: a SYN with a's address from node-1's tunnel endpoint but b's identity $id_b in the VNI is denied by c's policy" \
    not syn_reaches_c node-1 "$id_b" 41001
  check "tunnel: a SYN with a's address and identity $id_a from the outside namespace (no node's tunnel endpoint) never reaches c" \
    not syn_reaches_c outside "$id_a" 41002
  check "tunnel: the same SYN from node-1's tunnel endpoint with a's identity $id_a reaches c (the forged ones were sound)" \
    syn_reaches_c node-1 "$id_a" 41003
fi

# Node lifecycle: node-2's agent restarts (its programs, pinned maps and routes stay, as on a
# real node). New connections from a on node-1 to c on node-2 are opened all along.
probe_log=$CLUSTER_DIR/restart-probe.txt
(
  until [ -e "$CLUSTER_DIR/restart-done" ]; do
    if connects pod-a "$ip_c"; then echo answered; else echo lost; fi
    sleep 0.2
  done > "$probe_log"
) &
probe=$!
restart_start=$SECONDS
cluster_agent_restart 2 || abort "restarting node-2's agent"
restart_seconds=$((SECONDS - restart_start))
touch "$CLUSTER_DIR/restart-done"
wait "$probe"
lost=$(grep -c lost "$probe_log")
check "node-2's agent restarts (${restart_seconds}s until it answered): none of a's $(grep -c . "$probe_log") new connections to c is lost ($lost lost)" \
  [ "$lost" -eq 0 ]
check "after node-2's agent restart, b on node-1 is still denied" denied pod-b "$ip_c"
check "after node-2's agent restart, node-1 still routes node-2's pod CIDR" has_route 1 "$cidr2" 172.29.0.12

# Node lifecycle: node-2 leaves (its Node object goes, the operator removes its CiliumNode),
# then joins again.
cluster_kubectl delete node node-2 > /dev/null || abort "deleting node node-2"
if took=$(seconds_until 60 no_route 1 "$cidr2"); then
  check "node-2 leaves: node-1 removes its route (${took}s after the Node was deleted)" true
else
  check "node-2 leaves: node-1 removes its route" false
fi
cluster_node_register 2 || abort "registering node-2 again"
if took=$(seconds_until 60 node_has_any_route 1 172.29.0.12); then
  check "node-2 joins again: node-1 routes its pod CIDR $(pod_cidr 2) (${took}s after the Node was created)" true
else
  check "node-2 joins again: node-1 routes its pod CIDR again" false
fi

run=$CLUSTER_RUN
keep_logs
cluster_down
check "down removes every namespace, pin, cgroup, process and file of the run" nothing_left "$run" "$CLUSTER_DIR"
completed=true
