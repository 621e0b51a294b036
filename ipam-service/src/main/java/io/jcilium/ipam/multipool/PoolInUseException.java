package io.jcilium.ipam.multipool;

/**
 * A pool cannot be deleted while nodes hold blocks of it: its addresses are in use.
 */
public class PoolInUseException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	PoolInUseException(String pool, long blocksInUse) {
		super("IP pool '" + pool + "' still has " + blocksInUse
				+ " blocks allocated to nodes; it is deleted once the nodes release them");
	}

}
