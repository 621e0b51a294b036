# scripts/cluster-e2e.sh mtls (sourced by it, not run): the two-node cluster with mTLS between
# every service and per-node agent certificates, as the chart runs it by default
# (scripts/cluster-tls.sh, docs/mtls.md). Checks, on real processes:
#   - each agent got its node's certificate through a CertificateSigningRequest the operator
#     approved (CN system:node:<node>, chained to the cluster's CA), with no shared one issued;
#   - pods start on both nodes (each agent allocates identities with its own certificate), get
#     their own node's pod CIDR (the operator's certificate at ipam-service), and policy by
#     identity holds across nodes (identities watched over mTLS);
#   - identity-service accepts node-1's certificate acting for node-1 and refuses it acting for
#     node-2 (PERMISSION_DENIED), ipam-service refuses it CIDR administration;
#   - identity-service, ipam-service and an agent refuse a client without a certificate, and
#     one whose certificate names node-1 but comes from another CA;
#   - identity-service's certificate rotated on disk is served to new connections without a
#     restart, and the agents keep working through it;
#   - an agent restarted within its certificate's validity reuses it, asking nothing;
#   - down leaves nothing behind.
# Uses cluster-e2e.sh's helpers and counters; ends the script.

tls_dir=$(cluster_tls_dir)
# probe PART CERT-DIR|- CALL NODE TARGET: the gRPC status code of one call from PART with the
# certificate in CERT-DIR (tls.crt, tls.key; - for none), trusting the cluster's CA.
probe() {
  local part=$1 certs=$2 call=$3 node=$4 target=$5 args=()
  [ "$certs" = - ] || args=(--cert "$certs/tls.crt" --key "$certs/tls.key")
  in_ns "$part" /usr/bin/python3 "$REPO_ROOT/scripts/mtls-probe.py" --target "$target" --ca "$tls_dir/ca.crt" \
    "${args[@]}" "$call" "$node" 2> "$CLUSTER_DIR/probe.err" | head -n 1
}
answers() { # CODE PART CERT-DIR CALL NODE TARGET: whether the call gets CODE
  local expected=$1 got
  shift
  got=$(probe "$@")
  [ "$got" = "$expected" ] || { echo "  got '$got' ($(tail -n 2 "$CLUSTER_DIR/probe.err" | tr '\n' ' '))"; return 1; }
}

node_certs() { echo "$CLUSTER_DIR/node-$1/state/node-certificate"; }
# node_csrs INDEX: the node client requests that node-INDEX's agent pod made
node_csrs() {
  cluster_kubectl get --raw /apis/certificates.k8s.io/v1/certificatesigningrequests | jq -c --arg node "node-$1" '[.items[] | select(.spec.signerName == "jcilium.io/node-client"
    and .spec.username == "system:serviceaccount:kube-system:jcilium-agent"
    and .spec.extra["authentication.kubernetes.io/node-name"] == [$node])]'
}
approved_and_issued() { # INDEX
  node_csrs "$1" | jq -e 'length >= 1 and all(.[]; (.status.conditions // []) | any(.type == "Approved"
    and .reason == "AgentOnNode")) and all(.[]; (.status.certificate // "") != "")' > /dev/null
}
names_its_node() { # INDEX
  local certs
  certs=$(node_certs "$1")
  [ "$(openssl x509 -in "$certs/tls.crt" -noout -subject -nameopt RFC2253)" = "subject=CN=system:node:node-$1" ] \
    && openssl verify -CAfile "$tls_dir/ca.crt" "$certs/tls.crt" > /dev/null
}
serial_of() { openssl x509 -in "$1" -noout -serial; }
# served_serial: the serial of the certificate identity-service presents to a new connection
served_serial() {
  in_ns cp openssl s_client -connect 127.0.0.1:9281 -CAfile "$tls_dir/ca.crt" -cert "$tls_dir/operator/tls.crt" \
    -key "$tls_dir/operator/tls.key" < /dev/null 2> /dev/null | openssl x509 -noout -serial 2> /dev/null
}
service_pid() { # NAME: the pid of the cluster's process started as NAME
  local pid
  for pid in $(awk '$1 == "pid" { print $2 }' "$CLUSTER_DIR/resources"); do
    tr '\0' ' ' 2> /dev/null < "/proc/$pid/cmdline" | grep -q -- "$1" && echo "$pid" && return 0
  done
  return 1
}

# up_failed: what says why the cluster did not come up: the up's log, the certificate requests
# and what the operator and the agents logged about certificates (the run's logs go with it).
up_failed() {
  local part
  cat "$REPO_ROOT/target/cluster-e2e-up.log"
  echo "certificate requests (name, node, conditions, certificate issued):"
  cluster_kubectl get --raw /apis/certificates.k8s.io/v1/certificatesigningrequests 2>&1 \
    | jq -r '.items[]? | "  \(.metadata.name) \(.spec.extra["authentication.kubernetes.io/node-name"] // [] | join(","))
        \([.status.conditions[]? | .type + ":" + .reason + ": " + .message] | join("; ")) \((.status.certificate // "") != "")"'
  for part in operator-service agent-node-1 agent-node-2; do
    echo "--- $part (certificates, leadership, warnings)"
    grep -iE "certificat|leader|WARN|ERROR" "$CLUSTER_DIR/logs/$part.log" 2> /dev/null | tail -n 15
  done
}

mtls_start=$SECONDS
CLUSTER_TLS=perNode
cluster_up 2 > "$REPO_ROOT/target/cluster-e2e-up.log" 2>&1 || { up_failed; abort "the cluster did not come up"; }
echo "cluster $CLUSTER_RUN up with mTLS and per-node agent certificates ($((SECONDS - mtls_start))s)"

for i in 1 2; do
  check "node-$i's agent got its certificate through a CertificateSigningRequest the operator approved (AgentOnNode)" \
    approved_and_issued "$i"
  check "node-$i's certificate names its node (CN system:node:node-$i) and chains to the cluster's CA" names_its_node "$i"
done
check "no agent certificate was issued outside the certificates API (the agents' directory holds only ca.crt)" \
  [ "$(ls "$tls_dir/agent")" = ca.crt ]

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
check "pods on both nodes start, with addresses from their own node's pod CIDR ($cidr1: a $ip_a, b $ip_b; $cidr2: c $ip_c)" \
  $own_cidr
cluster_start pod-c http-c python3 -m http.server 8080 --directory "$CLUSTER_DIR/logs"
check "a on node-1 reaches c on node-2" wait_for 60 connects pod-a "$ip_c"
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
check "policy by identity on node-2: b on node-1 is denied" wait_for 60 denied pod-b "$ip_c"
check "policy by identity on node-2: a on node-1 still reaches c" connects pod-a "$ip_c"

identity=$CLUSTER_CP_IP:9281
ipam=$CLUSTER_CP_IP:9282
check "identity-service accepts node-1's certificate allocating for node-1" \
  answers OK node-1 "$(node_certs 1)" identity-allocate node-1 "$identity"
check "identity-service refuses node-1's certificate allocating for node-2 (PERMISSION_DENIED)" \
  answers PERMISSION_DENIED node-1 "$(node_certs 1)" identity-allocate node-2 "$identity"
check "identity-service refuses node-1's certificate releasing for node-2 (PERMISSION_DENIED)" \
  answers PERMISSION_DENIED node-1 "$(node_certs 1)" identity-release node-2 "$identity"
check "ipam-service refuses node-1's certificate releasing node-2's pod CIDRs (PERMISSION_DENIED)" \
  answers PERMISSION_DENIED node-1 "$(node_certs 1)" ipam-release node-2 "$ipam"
check "identity-service refuses a client without a certificate" \
  answers UNAVAILABLE node-1 - identity-allocate node-1 "$identity"
check "ipam-service refuses a client without a certificate" answers UNAVAILABLE node-1 - ipam-release node-1 "$ipam"
check "node-2's agent serves its gRPC port to node-1's certificate (UNIMPLEMENTED: not an agent call)" \
  answers UNIMPLEMENTED node-1 "$(node_certs 1)" identity-allocate node-1 "$(node_ip 2):4244"
check "node-2's agent refuses a client without a certificate on its gRPC port" \
  answers UNAVAILABLE node-1 - identity-allocate node-1 "$(node_ip 2):4244"
# A certificate naming node-1 from a CA the cluster does not trust.
stranger=$CLUSTER_DIR/stranger
mkdir -p "$stranger"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=system:node:node-1" \
  -addext "extendedKeyUsage=clientAuth" -keyout "$stranger/tls.key" -out "$stranger/tls.crt" 2> /dev/null \
  || abort "making a certificate of another CA"
check "identity-service refuses a certificate naming node-1 from another CA" \
  answers UNAVAILABLE node-1 "$stranger" identity-allocate node-1 "$identity"

# Rotation: identity-service's Secret updated in place (a new key and certificate from the same
# CA, as cert-manager or a chart upgrade would write them).
identity_pid=$(service_pid identity-service)
before=$(served_serial)
cluster_tls_issue identity identity-service "IP:$CLUSTER_CP_IP,DNS:localhost,IP:127.0.0.1" \
  || abort "issuing identity-service's next certificate"
rotated=$(serial_of "$tls_dir/identity/tls.crt")
serves_rotated() { [ "$(served_serial)" = "$rotated" ]; }
check "identity-service serves its rotated certificate to new connections ($before -> $rotated) without a restart" \
  wait_for 60 serves_rotated
same_identity_process() { [ -n "$identity_pid" ] && [ "$(service_pid identity-service)" = "$identity_pid" ]; }
check "identity-service is the same process after the rotation (pid $identity_pid)" same_identity_process
check "after the rotation node-1's certificate still allocates for node-1 over a new connection" \
  answers OK node-1 "$(node_certs 1)" identity-allocate node-1 "$identity"
POD_IP=
check "after the rotation a pod with new labels starts on node-2 (its agent allocates its identity)" \
  pod_add 2 demo d 'app: d'
ip_d=$POD_IP
cluster_start pod-d http-d python3 -m http.server 8080 --directory "$CLUSTER_DIR/logs"
check "after the rotation a on node-1 reaches d on node-2 ($ip_d)" wait_for 60 connects pod-a "$ip_d"

# Restart within the certificate's validity: the same certificate, no new request.
requests=$(node_csrs 2 | jq length)
serial=$(serial_of "$(node_certs 2)/tls.crt")
cluster_agent_restart 2 || abort "restarting node-2's agent"
reused() {
  [ "$requests" -ge 1 ] 2> /dev/null && [ "$(serial_of "$(node_certs 2)/tls.crt")" = "$serial" ] \
    && [ "$(node_csrs 2 | jq length)" = "$requests" ]
}
check "node-2's restarted agent reuses its certificate ($serial) and asks nothing ($requests request(s) before and after)" \
  reused
check "after node-2's agent restart, a on node-1 still reaches c" wait_for 30 connects pod-a "$ip_c"
check "after node-2's agent restart, b on node-1 is still denied" denied pod-b "$ip_c"

run=$CLUSTER_RUN
keep_logs
cluster_down
check "down removes every namespace, pin, cgroup, process and file of the run" nothing_left "$run" "$CLUSTER_DIR"
echo "mTLS run took $((SECONDS - mtls_start))s"
completed=true
exit 0
