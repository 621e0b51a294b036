package io.jcilium.ipam.block;

/**
 * No free block is left in a pool for a family; the message names the pool and its CIDRs.
 */
public class PoolExhaustedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	PoolExhaustedException(BlockSpace space) {
		super("IP pool '" + space.pool() + "' is exhausted: all " + space.total() + " " + space.family().displayName()
				+ " blocks of " + space.describe()
				+ " are in use; add a CIDR to the pool or release the blocks of deleted nodes");
	}

}
