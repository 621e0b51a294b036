package io.jcilium.agent.endpoint;

import io.jcilium.agent.ipam.PodIpSpace;

/**
 * Where pod addresses come from in multi-pool mode: the pool blocks this node's
 * CiliumNode lists. Without this bean the node's pod CIDR ({@link PodCidrSource}) is.
 */
public interface PodIpSpaceSource {

	/**
	 * Called once, when the first address is needed; may wait a bounded time for this
	 * node's CiliumNode (the persisted addresses are restored only once its blocks are
	 * known).
	 * @return the node's pool blocks
	 */
	PodIpSpace awaitSpace();

}
