package io.jcilium.agent.endpoint;

/**
 * Where this node's pod CIDR comes from: in a cluster, the node's CiliumNode
 * ({@code spec.ipam.podCIDRs}, assigned by the operator from ipam-service).
 */
public interface PodCidrSource {

	/**
	 * The CIDR pod addresses are allocated from. Called once, when the first address is
	 * needed; may wait a bounded time for the cluster to assign it.
	 * @return e.g. {@code 10.0.3.0/24}
	 */
	String awaitPodCidr();

}
