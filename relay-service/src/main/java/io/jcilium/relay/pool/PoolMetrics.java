package io.jcilium.relay.pool;

import io.grpc.ConnectivityState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The pool's gauges: nodes by the state {@code GetNodes} reports
 * ({@code hubble_relay_nodes{state="connected|unavailable"}}), and upstream's
 * {@code hubble_relay_pool_peer_connection_status}, peers by their channel's gRPC
 * connectivity state.
 */
public final class PoolMetrics implements MeterBinder {

	private final PeerPool pool;

	public PoolMetrics(PeerPool pool) {
		this.pool = pool;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("hubble_relay_nodes", this.pool, (pool) -> count(pool, true))
			.description("Nodes the relay knows, by whether their Hubble API answers")
			.tag("state", "connected")
			.register(registry);
		Gauge.builder("hubble_relay_nodes", this.pool, (pool) -> count(pool, false))
			.description("Nodes the relay knows, by whether their Hubble API answers")
			.tag("state", "unavailable")
			.register(registry);
		for (ConnectivityState state : ConnectivityState.values()) {
			Gauge.builder("hubble_relay_pool_peer_connection_status", this.pool, (pool) -> count(pool, state))
				.description("Peers by the state of the relay's gRPC channel to them")
				.tag("status", state.name())
				.register(registry);
		}
	}

	private static double count(PeerPool pool, boolean available) {
		return pool.list().stream().filter((connection) -> connection.available() == available).count();
	}

	private static double count(PeerPool pool, ConnectivityState state) {
		return pool.list().stream().filter((connection) -> connection.channelState() == state).count();
	}

}
