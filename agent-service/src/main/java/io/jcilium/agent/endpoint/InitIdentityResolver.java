package io.jcilium.agent.endpoint;

/**
 * Gives every endpoint upstream's reserved {@code init} identity (5), the identity an
 * endpoint carries while its labels are not known yet. Stands in until the agent resolves
 * identities through identity-service.
 */
public final class InitIdentityResolver implements IdentityResolver {

	/** Upstream's reserved identity {@code reserved:init}. */
	public static final long INIT_IDENTITY = 5;

	@Override
	public long resolve(Endpoint endpoint) {
		return INIT_IDENTITY;
	}

}
