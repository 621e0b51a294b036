package io.jcilium.operator.identitygc;

import java.util.Set;

/**
 * What identity GC needs from identity-service.
 */
interface IdentityRegistry {

	/**
	 * The allocated (not reserved) identities.
	 * @return identity numbers
	 * @throws RuntimeException when identity-service cannot answer
	 */
	Set<Long> allocated();

	/**
	 * Drops the node's reference to the identity.
	 * @return {@code false} when the identity no longer exists (nothing left to drop)
	 * @throws RuntimeException when identity-service cannot answer
	 */
	boolean release(long id, String node);

}
