package io.jcilium.agent.endpoint;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Endpoints per state, as upstream's {@code cilium_endpoint_state{endpoint_state}}:
 * endpoints stuck outside {@code ready} are what an operator alerts on. Plus how long a
 * regeneration takes (upstream's {@code cilium_endpoint_regeneration_time_stats_seconds})
 * and how long a pod waits from CNI ADD until its endpoint is ready.
 */
public final class EndpointMetrics implements MeterBinder {

	private final EndpointManager endpoints;

	public EndpointMetrics(EndpointManager endpoints) {
		this.endpoints = endpoints;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (EndpointState state : EndpointState.values()) {
			Gauge.builder("jcilium.endpoint.state", this.endpoints, (manager) -> manager.count(state))
				.tag("endpoint_state", state.apiName())
				.description("Endpoints of this node in each lifecycle state")
				.register(registry);
		}
		Gauge
			.builder("jcilium.endpoint.state.quarantined", this.endpoints,
					(manager) -> manager.quarantinedStateFiles().size())
			.description("Endpoint state files that could not be restored and were moved aside")
			.register(registry);
		Gauge.builder("jcilium.endpoint.orphans.held", this.endpoints, (manager) -> manager.orphans().all().size())
			.description("Addresses and veths of container interfaces with no endpoint, held while their pod may run")
			.register(registry);
		FunctionCounter
			.builder("jcilium.endpoint.orphans.freed", this.endpoints, (manager) -> manager.orphans().freedCount())
			.description("Held orphans freed because no pod of this node claims their address")
			.register(registry);
		Timer regeneration = Timer.builder("jcilium.endpoint.regeneration.time")
			.description("Time to regenerate the datapath of one endpoint")
			.publishPercentileHistogram()
			.register(registry);
		Timer addToReady = Timer.builder("jcilium.endpoint.add.to.ready.time")
			.description("Time from CNI ADD until the endpoint is ready")
			.publishPercentileHistogram()
			.register(registry);
		this.endpoints.timings().bind(regeneration, addToReady);
	}

}
