package io.jcilium.operator.multipool;

import java.util.List;
import java.util.Map;

/**
 * What multi-pool IPAM needs from ipam-service. Refusals a user must act on (invalid
 * pool, unknown pool, exhausted pool, pool in use) are {@link PoolRejectedException}s;
 * anything else (ipam-service unreachable) fails the pass, which is retried.
 */
interface PoolIpam {

	/** The pools ipam-service serves, configured ones included. */
	List<IpamPool> pools();

	/**
	 * Creates or replaces a pool; an invalid one is refused and the one in force stays.
	 */
	void upsert(PoolDefinition pool);

	/**
	 * Deletes a pool defined through the API.
	 * @return whether it existed
	 */
	boolean delete(String name);

	/**
	 * Makes sure the node holds {@code count} blocks of the pool's family.
	 * @param family {@code ipv4} or {@code ipv6}
	 */
	void ensureBlocks(String pool, String node, String family, int count);

	/** The node's blocks by pool name. */
	Map<String, List<String>> blocksOf(String node);

	void release(String pool, String node, String cidr);

	/**
	 * A pool as ipam-service serves it.
	 *
	 * @param name the pool's name
	 * @param configured whether it comes from ipam-service's own configuration
	 * @param ipv4MaskSize IPv4 block size (0 without IPv4)
	 * @param ipv6MaskSize IPv6 block size (0 without IPv6)
	 */
	record IpamPool(String name, boolean configured, int ipv4MaskSize, int ipv6MaskSize) {

	}

	/**
	 * A pool as a CiliumPodIPPool defines it.
	 *
	 * @param name the pool's name
	 * @param ipv4Cidrs {@code spec.ipv4.cidrs}
	 * @param ipv4MaskSize {@code spec.ipv4.maskSize}
	 * @param ipv6Cidrs {@code spec.ipv6.cidrs}
	 * @param ipv6MaskSize {@code spec.ipv6.maskSize}
	 */
	record PoolDefinition(String name, List<String> ipv4Cidrs, int ipv4MaskSize, List<String> ipv6Cidrs,
			int ipv6MaskSize) {

	}

}
