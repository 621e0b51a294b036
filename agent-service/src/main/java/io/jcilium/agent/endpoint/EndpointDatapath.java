package io.jcilium.agent.endpoint;

/**
 * What the lifecycle needs from the eBPF datapath for one endpoint: attach programs and
 * write the endpoint, ipcache and policy entries; remove them again.
 */
public interface EndpointDatapath {

	/**
	 * Brings the datapath of {@code endpoint} up to date with its identity and policy.
	 * @throws RuntimeException with a message saying what failed
	 */
	void regenerate(Endpoint endpoint);

	/**
	 * Takes over the datapath of an endpoint restored after an agent restart: programs
	 * and pinned maps written by the previous agent are found again and kept, so traffic
	 * never stops, then brought up to date.
	 * @throws RuntimeException with a message saying what failed
	 */
	default void restore(Endpoint endpoint) {
		regenerate(endpoint);
	}

	/** Removes everything {@link #regenerate} wrote for {@code endpoint}; idempotent. */
	void remove(Endpoint endpoint);

}
