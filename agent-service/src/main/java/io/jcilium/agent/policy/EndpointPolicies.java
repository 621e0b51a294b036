package io.jcilium.agent.policy;

import java.util.List;

import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.NamedPort;

/**
 * What the datapath asks of the policy cell for a local endpoint: keep its policy map
 * filled while it runs, stop writing to a map handle about to close, forget it when it
 * goes.
 */
public interface EndpointPolicies {

	/**
	 * Registers (or moves) a local endpoint and makes its map hold its identity's policy,
	 * writing only what differs from what the map holds; returns once the map is written.
	 * Later policy changes reach the map as deltas.
	 * @param endpointId the endpoint id
	 * @param identity its security identity
	 * @param labels the identity's labels, used if the identity is not known yet
	 * @param namedPorts the pod's named container ports, which rules naming ports resolve
	 * against
	 * @param map its policy map
	 * @throws RuntimeException if the map could not be written (it keeps what it had)
	 */
	void attach(int endpointId, long identity, Labels labels, List<NamedPort> namedPorts, EndpointPolicyMap map);

	/**
	 * Stops writing to an endpoint's map because its handle is about to be closed; the
	 * endpoint keeps its identity, and the next {@link #attach} writes the map again.
	 * Returns once no write to the map is under way. Idempotent.
	 * @param endpointId the endpoint id
	 */
	void dropMap(int endpointId);

	/**
	 * Forgets a local endpoint (its map is the datapath's to remove); idempotent.
	 * @param endpointId the endpoint id
	 */
	void detach(int endpointId);

}
