package io.jcilium.agent.hubble;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEventSource;

/**
 * Where the datapath hands its decoded events to Hubble, on the event reader's thread:
 * implementations must never block it. The datapath fills in what its events say (time,
 * verdict, drop reason, addresses, L4, endpoint ids and identities, observation point,
 * direction); the observer adds what only the agent knows (node, pods, labels).
 */
public interface FlowSink {

	/**
	 * One decoded datapath event.
	 * @param flow the flow as far as the datapath knows it
	 */
	void flow(Flow flow);

	/**
	 * Events that never became flows, so clients hear of them instead of missing them
	 * silently.
	 * @param source where they were lost
	 * @param count how many
	 */
	void lost(LostEventSource source, long count);

}
