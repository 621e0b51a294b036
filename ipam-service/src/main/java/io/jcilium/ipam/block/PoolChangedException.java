package io.jcilium.ipam.block;

/**
 * A guarded claim found the pool's stored definition gone or changed since the caller
 * read it (another replica deleted or redefined the pool); nothing was claimed.
 */
public class PoolChangedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PoolChangedException(String pool) {
		super("IP pool '" + pool + "' was deleted or changed while a block of it was being allocated");
	}

}
