package io.jcilium.agent.endpoint;

/**
 * Resolves the security identity of an endpoint from its labels. The real resolver
 * (identity-service over gRPC with a local cache fed by Watch) is later work.
 */
public interface IdentityResolver {

	/**
	 * Resolves the identity of {@code endpoint}'s {@link Endpoint#securityLabels()}; each
	 * successful call holds one reference, given back by {@link #release(long)}.
	 * @return the numeric security identity
	 * @throws RuntimeException with a message saying why when it cannot be resolved now
	 */
	long resolve(Endpoint endpoint);

	/**
	 * Gives back one reference taken by {@link #resolve}: the endpoint moved to another
	 * identity or was removed. Resolvers that keep no references ignore it.
	 * @param identity the identity resolved before
	 */
	default void release(long identity) {
	}

}
