package io.jcilium.agent.endpoint;

import java.util.Optional;

/**
 * Whether the policy an endpoint would get now is computed from complete inputs: after an
 * agent restart, policy computed from half the rules or half the identities would cut
 * running pods off, so the reconciler regenerates no endpoint while something is awaited.
 */
public interface PolicyReadiness {

	/** Always ready: where no policy cell is wired. */
	PolicyReadiness READY = Optional::empty;

	/**
	 * What is still awaited.
	 * @return a reason naming the inputs awaited, empty when regenerations may go ahead
	 */
	Optional<String> awaited();

}
