package io.jcilium.agent.endpoint;

import java.util.function.LongConsumer;

import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;

/**
 * What a {@code CiliumEndpoint} shows of its identity's policy (upstream's
 * {@code status.policy}, the enforcement columns of {@code kubectl get cep -o wide}): the
 * policy the policy cell computed, and word of the identities whose policy changed, so an
 * endpoint's object follows a new rule without an endpoint event. The policy cell's
 * configuration implements it.
 */
public interface PolicyStatusSource {

	/** For agents without a policy cell: no endpoint shows a policy. */
	PolicyStatusSource NONE = new PolicyStatusSource() {

		@Override
		public EndpointPolicy policy(long identity) {
			return null;
		}

		@Override
		public Labels identityLabels(long identity) {
			return null;
		}

		@Override
		public void onChange(LongConsumer listener) {
		}

	};

	/**
	 * The computed policy of a local identity.
	 * @param identity the identity
	 * @return its policy, {@code null} while none is computed
	 */
	EndpointPolicy policy(long identity);

	/**
	 * The labels of a peer identity, which each tuple of {@code status.policy} carries as
	 * upstream's {@code identity-labels}.
	 * @param identity the identity
	 * @return its labels, {@code null} if unknown
	 */
	Labels identityLabels(long identity);

	/**
	 * Registers a listener of identities whose policy changed.
	 * @param listener takes the identity; called on the policy cell's updating thread, so
	 * it must not block
	 */
	void onChange(LongConsumer listener);

}
