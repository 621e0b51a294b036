package io.jcilium.identity.allocation;

/**
 * The store has no epoch: Redis lost its data (or was replaced by an empty one) and no
 * replica has seeded it yet with the identities in use. Handing out numbers now could
 * give agents' numbers to other labels, so the call waits; replicas seed the store within
 * their cache-sync interval, after which a retry succeeds.
 */
public class StoreEpochMissingException extends IdentityStoreUnavailableException {

	private static final long serialVersionUID = 1L;

	public StoreEpochMissingException(String operation) {
		super("the identity store lost its data (no epoch in Redis): " + operation
				+ " waits until identity-service has seeded it again with the identities in use; retry in a few seconds",
				null);
	}

}
