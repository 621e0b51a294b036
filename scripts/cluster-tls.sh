# mTLS for the simulated cluster (sourced by cluster-lib.sh, not run), as the chart sets it
# up with global.tls.enabled and global.tls.agentCertificates=perNode (docs/mtls.md):
#   - one CA; identity-, ipam- and operator-service each read tls.crt, tls.key and ca.crt from
#     a directory laid out as the chart's Secret mount, as the Spring SSL bundle "grpc",
#     reloaded when the files change; gRPC servers require client certificates;
#   - the CA's certificate and key in the Secret kube-system/jcilium-ca, which the operator
#     signs the agents' certificates with;
#   - no agent certificate is issued here: each agent makes its key and asks the certificates
#     API (signer jcilium.io/node-client) for a certificate naming its node, and the operator
#     approves only the agents' ServiceAccount asking for the node its token's pod runs on.
#     Each agent has a Pod object in kube-system (ServiceAccount jcilium-agent, on its node)
#     and talks to the API server with a token shaped as the bound ServiceAccount token the
#     kubelet would give that pod (the dev API server reads who asks from it, see
#     dev-apiserver's CertificateRequests).
# Off unless CLUSTER_TLS=perNode (kept in cluster.env).

CLUSTER_TLS=${CLUSTER_TLS:-off}
# What every agent's certificate carries besides its node's own names (the chart's
# jcilium.agentCertificateCommonNames; agents and operator must agree).
CLUSTER_TLS_AGENT_DNS=localhost
CLUSTER_TLS_AGENT_IPS=127.0.0.1

cluster_tls_enabled() { [ "$CLUSTER_TLS" = perNode ]; }

cluster_tls_dir() { echo "$CLUSTER_DIR/tls"; }

# cluster_tls_issue NAME CN SUBJECT-ALT-NAMES: a P-256 key and a certificate signed by the
# cluster's CA in tls/NAME/ (tls.crt, tls.key, ca.crt).
cluster_tls_issue() {
  local dir
  dir=$(cluster_tls_dir)
  mkdir -p "$dir/$1.new"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$2" \
    -keyout "$dir/$1.new/tls.key" -out "$dir/$1.new/tls.csr" 2> /dev/null || return 1
  openssl x509 -req -in "$dir/$1.new/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days 2 -out "$dir/$1.new/tls.crt" -extfile <(printf '%s\n' "subjectAltName=$3" \
      "extendedKeyUsage=serverAuth,clientAuth" "keyUsage=critical,digitalSignature") 2> /dev/null || return 1
  cp "$dir/ca.crt" "$dir/$1.new/ca.crt"
  rm "$dir/$1.new/tls.csr"
  # Moved into place file by file: what a service watching tls/NAME sees change.
  mkdir -p "$dir/$1"
  mv "$dir/$1.new/ca.crt" "$dir/$1/ca.crt"
  mv "$dir/$1.new/tls.key" "$dir/$1/tls.key"
  mv "$dir/$1.new/tls.crt" "$dir/$1/tls.crt"
  rmdir "$dir/$1.new"
}

# cluster_tls_up: the CA, the control plane's certificates and the CA Secret. After the API
# server is up, before the services start.
cluster_tls_up() {
  local dir
  dir=$(cluster_tls_dir)
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=jcilium-ca.default" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2> /dev/null || return 1
  # The services' names as their clients dial them: the agents identity-service at the control
  # plane's address, the operator both on localhost.
  cluster_tls_issue identity identity-service "IP:$CLUSTER_CP_IP,DNS:localhost,IP:127.0.0.1" || return 1
  cluster_tls_issue ipam ipam-service "IP:$CLUSTER_CP_IP,DNS:localhost,IP:127.0.0.1" || return 1
  cluster_tls_issue operator jcilium-operator "DNS:jcilium-operator" || return 1
  mkdir -p "$dir/agent"
  cp "$dir/ca.crt" "$dir/agent/ca.crt"
  cluster_kubectl apply -f - > /dev/null << EOF || return 1
apiVersion: v1
kind: Secret
metadata: {name: jcilium-ca, namespace: kube-system}
data:
  ca.crt: $(base64 -w0 < "$dir/ca.crt")
  ca.key: $(base64 -w0 < "$dir/ca.key")
EOF
}

# cluster_tls_service_args NAME server|client: a service's settings for tls/NAME (the chart's
# jcilium.withGrpcTls), one per line.
cluster_tls_service_args() {
  cluster_tls_enabled || return 0
  local dir bundle=--spring.ssl.bundle.pem.grpc
  dir=$(cluster_tls_dir)/$1
  printf '%s\n' --jcilium.tls.enabled=true "$bundle.reload-on-update=true" \
    "$bundle.keystore.certificate=file:$dir/tls.crt" "$bundle.keystore.private-key=file:$dir/tls.key" \
    "$bundle.truststore.certificate=file:$dir/ca.crt"
  if [ "$2" = server ]; then
    printf '%s\n' --spring.grpc.server.ssl.bundle=grpc --spring.grpc.server.ssl.client-auth=require
  fi
}

# cluster_tls_operator_args: the operator's clients and its node certificate signer.
cluster_tls_operator_args() {
  cluster_tls_enabled || return 0
  local signer=--jcilium.operator.node-certificates
  cluster_tls_service_args operator client
  printf '%s\n' --spring.grpc.client.default-channel.ssl.bundle=grpc \
    --spring.grpc.client.channels.identity.ssl.bundle=grpc --spring.grpc.client.channels.ipam.ssl.bundle=grpc \
    "$signer.enabled=true" "$signer.agent-namespace=kube-system" "$signer.agent-service-account=jcilium-agent" \
    "$signer.ca-secret-name=jcilium-ca" "$signer.ca-secret-namespace=kube-system" \
    "$signer.common-dns-names=$CLUSTER_TLS_AGENT_DNS" "$signer.common-ip-addresses=$CLUSTER_TLS_AGENT_IPS"
}

# cluster_tls_agent_args INDEX: node-INDEX's agent's settings (the chart's agent ConfigMap in
# perNode mode): its key and certificate from the certificates API, kept in its state directory.
cluster_tls_agent_args() {
  cluster_tls_enabled || return 0
  local certs=$CLUSTER_DIR/node-$1/state/node-certificate bundle=--spring.ssl.bundle.pem.grpc
  printf '%s\n' --jcilium.tls.enabled=true "$bundle.reload-on-update=true" \
    "$bundle.keystore.certificate=file:$certs/tls.crt" "$bundle.keystore.private-key=file:$certs/tls.key" \
    "$bundle.truststore.certificate=file:$(cluster_tls_dir)/agent/ca.crt" \
    --spring.grpc.server.ssl.bundle=grpc --spring.grpc.server.ssl.client-auth=require \
    --jcilium.agent.identity.ssl-bundle=grpc --jcilium.agent.hubble.peer.tls=true \
    --jcilium.agent.node-certificate.enabled=true "--jcilium.agent.node-certificate.directory=$certs" \
    "--jcilium.agent.node-certificate.common-dns-names=$CLUSTER_TLS_AGENT_DNS" \
    "--jcilium.agent.node-certificate.common-ip-addresses=$CLUSTER_TLS_AGENT_IPS"
}

# base64url without padding, as in a JSON Web Token.
cluster_tls_base64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

# cluster_tls_agent_kubeconfig INDEX: node-INDEX's agent Pod in kube-system, and the kubeconfig
# its agent uses, with a token naming that pod, its node and the agents' ServiceAccount (the
# claims of a bound ServiceAccount token). Prints the kubeconfig's path.
cluster_tls_agent_kubeconfig() {
  local i=$1 pod="jcilium-agent-node-$1" uid claims token kubeconfig=$CLUSTER_DIR/node-$1/kubeconfig
  cluster_kubectl apply -f - > /dev/null << EOF || return 1
apiVersion: v1
kind: Pod
metadata: {name: $pod, namespace: kube-system, labels: {k8s-app: jcilium-agent}}
spec:
  serviceAccountName: jcilium-agent
  nodeName: node-$i
  containers: [{name: agent, image: jcilium/agent}]
EOF
  uid=$(cluster_kubectl get pod -n kube-system "$pod" -o jsonpath='{.metadata.uid}') || return 1
  claims=$(jq -cn --arg pod "$pod" --arg uid "$uid" --arg node "node-$i" --arg jti "$CLUSTER_RUN-$i-$RANDOM" \
    '{iss: "https://kubernetes.default.svc.cluster.local", sub: "system:serviceaccount:kube-system:jcilium-agent",
      jti: $jti, "kubernetes.io": {namespace: "kube-system", node: {name: $node}, pod: {name: $pod, uid: $uid},
      serviceaccount: {name: "jcilium-agent"}}}')
  token="$(printf '{"alg":"none"}' | cluster_tls_base64url).$(printf '%s' "$claims" | cluster_tls_base64url).dev"
  cat > "$kubeconfig" << EOF
apiVersion: v1
kind: Config
clusters: [{name: dev, cluster: {server: "http://$CLUSTER_CP_IP:6443"}}]
users: [{name: jcilium-agent, user: {token: "$token"}}]
contexts: [{name: agent, context: {cluster: dev, user: jcilium-agent}}]
current-context: agent
EOF
  echo "$kubeconfig"
}
