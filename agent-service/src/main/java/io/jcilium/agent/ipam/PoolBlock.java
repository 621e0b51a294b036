package io.jcilium.agent.ipam;

import java.net.InetAddress;

/**
 * One block of a multi-pool pool allocated to this node, with its addresses.
 *
 * @param pool the pool's name
 * @param addresses the block's allocator (network, first and last address reserved, as
 * for a node CIDR)
 */
record PoolBlock(String pool, PodIpAllocator addresses) {

	String cidr() {
		return this.addresses.cidr();
	}

	boolean contains(InetAddress ip) {
		return this.addresses.offsetOf(ip) >= 0;
	}

	boolean empty() {
		return this.addresses.allocations().isEmpty();
	}

	/** Addresses a pod can get in a block of this size. */
	long usable() {
		return this.addresses.available() + this.addresses.allocations().size();
	}

}
