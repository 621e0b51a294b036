package io.jcilium.agent.endpoint;

/**
 * Resolves the security identity of an endpoint from its labels. The real resolver
 * (identity-service over gRPC with a local cache fed by Watch) is later work.
 */
public interface IdentityResolver {

	/**
	 * @return the numeric security identity
	 * @throws RuntimeException with a message saying why when it cannot be resolved now
	 */
	long resolve(Endpoint endpoint);

}
