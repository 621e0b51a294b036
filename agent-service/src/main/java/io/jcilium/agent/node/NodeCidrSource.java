package io.jcilium.agent.node;

import java.util.Optional;

/**
 * This node's pod CIDR: in a cluster, from its CiliumNode ({@code spec.ipam.podCIDRs},
 * written by the operator from ipam-service) once the agent has seen it, and never a
 * default meanwhile (a default would be every node's, so pods of two nodes would share
 * addresses); without Kubernetes, the configured {@code jcilium.agent.ipam.pod-cidr}.
 */
public interface NodeCidrSource {

	/**
	 * The IPv4 pod CIDR pods of this node get their addresses from.
	 * @return e.g. {@code 10.0.3.0/24}; empty while the CiliumNode has none
	 */
	Optional<String> podCidr();

	/**
	 * Whether {@link #podCidr()} comes from the CiliumNode (else from configuration).
	 * @return whether the API server assigned it
	 */
	boolean assignedByCluster();

}
