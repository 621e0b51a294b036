package io.jcilium.agent.hubble;

import io.jcilium.agent.hubble.ring.FlowRing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of Hubble on the agent, under {@code jcilium.agent.hubble}.
 *
 * @param enabled turn datapath events into flows and serve {@code observer.Observer} on
 * the agent's gRPC port
 * @param ringCapacity flows kept in memory, a power of two minus one (upstream's
 * {@code hubble-event-buffer-capacity}, default 4095)
 * @param maxFlowStreams how many {@code GetFlows} calls may run at once; more are refused
 * with {@code RESOURCE_EXHAUSTED}
 * @param advertiseAddress the address relays reach this agent's Hubble API at, shown by
 * {@code GetNodes}; empty when not known
 */
@ConfigurationProperties("jcilium.agent.hubble")
public record HubbleProperties(@DefaultValue("true") boolean enabled, @DefaultValue("4095") int ringCapacity,
		@DefaultValue("64") int maxFlowStreams, @DefaultValue("") String advertiseAddress) {

	public HubbleProperties {
		try {
			FlowRing.validateCapacity(ringCapacity);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("jcilium.agent.hubble.ring-capacity: " + ex.getMessage(), ex);
		}
		if (maxFlowStreams < 1) {
			throw new IllegalArgumentException(
					"jcilium.agent.hubble.max-flow-streams must be at least 1, got " + maxFlowStreams);
		}
	}

}
