/**
 * Per-node certificates (kubelet-style TLS bootstrap): approves an agent's
 * CertificateSigningRequest for {@code jcilium.io/node-client} only when it comes from an
 * agent pod on the node it names, and signs it with the cluster's CA.
 */
package io.jcilium.operator.nodecert;
