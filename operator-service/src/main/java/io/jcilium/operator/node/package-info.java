/**
 * Node lifecycle: a {@code CiliumNode} per Kubernetes Node with its addresses and the pod
 * CIDRs ipam-service allocated, kept converged and cleaned up when the Node goes.
 */
package io.jcilium.operator.node;
