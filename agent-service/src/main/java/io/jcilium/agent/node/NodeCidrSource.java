package io.jcilium.agent.node;

/**
 * This node's pod CIDR: from its CiliumNode ({@code spec.ipam.podCIDRs}, written by the
 * operator from ipam-service) once the agent has seen it, else the configured
 * {@code jcilium.agent.ipam.pod-cidr}.
 */
public interface NodeCidrSource {

	/**
	 * The IPv4 pod CIDR pods of this node get their addresses from.
	 * @return e.g. {@code 10.0.3.0/24}
	 */
	String podCidr();

	/**
	 * Whether {@link #podCidr()} comes from the CiliumNode (else from configuration).
	 * @return whether the API server assigned it
	 */
	boolean assignedByCluster();

}
