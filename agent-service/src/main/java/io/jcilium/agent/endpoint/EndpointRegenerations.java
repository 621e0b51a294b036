package io.jcilium.agent.endpoint;

/**
 * Asks for one endpoint's datapath to be regenerated, for a change the reconciler cannot
 * see itself (a policy map write that failed): the endpoint goes through its states
 * again, so a failure shows as {@code not-ready} with the reason and is retried with the
 * regeneration backoff.
 */
public interface EndpointRegenerations {

	/**
	 * Queues a regeneration; unknown endpoints are ignored.
	 * @param endpointId the endpoint id
	 * @param reason why, for the log
	 */
	void regenerate(int endpointId, String reason);

}
