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
	 * Puts a new endpoint's interface under policy before its pod can run, before its
	 * identity is known: programs attached with upstream's reserved init identity (5),
	 * its endpoint and ipcache entries written (so the source check and ARP work), and
	 * its policy map holding the init identity's policy, or nothing at all while the
	 * policy inputs have not synced (every IP packet dropped). {@link #regenerate} later
	 * switches all of it to the endpoint's own identity in place.
	 * @param endpoint the endpoint, linked
	 * @param policyInputsSynced whether the init identity's policy may be computed
	 * @throws RuntimeException with a message saying what failed (the ADD then fails)
	 */
	void guard(Endpoint endpoint, boolean policyInputsSynced);

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

	/**
	 * Removes what an endpoint known only by its id left in the datapath (its state file
	 * was quarantined): its local-delivery entry, its settings and its pinned policy map.
	 * Called once no pod can still use them; its veth, and the programs on it, are freed
	 * with the orphan. Idempotent.
	 * @param endpointId the endpoint id
	 */
	void removeOrphaned(int endpointId);

}
