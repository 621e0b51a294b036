package io.jcilium.identity.allocation;

/**
 * Every number in the configured range is in use (or waiting for the garbage collector).
 */
public class IdentityRangeExhaustedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public IdentityRangeExhaustedException(IdRange range) {
		super("every identity in the range " + range
				+ " is in use; release unused identities or widen jcilium.identity.allocation.min-id/max-id");
	}

}
