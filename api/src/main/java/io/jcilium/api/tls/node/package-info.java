/**
 * Per-node certificates, as kubelet's TLS bootstrap: an agent asks the Kubernetes
 * certificates API for a certificate naming its node ({@code CN=system:node:<node>},
 * signer {@value io.jcilium.api.tls.node.NodeCertificates#SIGNER_NAME}), the operator
 * checks who asked and signs. This package is the contract both sides share: the names a
 * node's certificate carries, the request's encoding, and the agent's side of the
 * exchange.
 */
package io.jcilium.api.tls.node;
