package io.jcilium.agent.service.lb;

import java.util.List;
import java.util.Objects;

/**
 * A frontend as the datapath needs it: its key, kind, flags and the backends new
 * connections are spread over, in slot order.
 *
 * @param key address, port, protocol, scope
 * @param kind how it is reached
 * @param flags the kind's flag plus {@link FrontendKind#AFFINITY} and friends
 * @param affinityTimeoutSeconds how long a client keeps its backend (with
 * {@link FrontendKind#AFFINITY}), else 0
 * @param backends the backends; empty means new connections are refused
 */
public record LbFrontend(FrontendKey key, FrontendKind kind, int flags, int affinityTimeoutSeconds,
		List<L4Address> backends) {

	public LbFrontend {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(kind, "kind");
		backends = List.copyOf(backends);
		if (backends.size() > 0xffff) {
			throw new IllegalArgumentException(
					"frontend " + key + " has " + backends.size() + " backends, at most 65535 fit a service entry");
		}
	}

	/**
	 * The address replies must appear to come from: shared by the scopes of a frontend.
	 * @return the frontend address
	 */
	public L4Address reverseNat() {
		return this.key.address();
	}

}
