package io.jcilium.identity.client;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The client's metrics: calls by operation and outcome, the circuit breaker's state, the
 * cache's size and sync, and Watch reconnections.
 */
public final class IdentityClientMetrics implements MeterBinder {

	private final IdentityClient client;

	public IdentityClientMetrics(IdentityClient client) {
		this.client = client;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String operation : IdentityClient.OPERATIONS) {
			FunctionCounter
				.builder("jcilium.identity.client.calls", this.client, (client) -> client.successes(operation))
				.description("Calls to identity-service, retries not counted separately")
				.tag("operation", operation)
				.tag("outcome", "success")
				.register(registry);
			FunctionCounter
				.builder("jcilium.identity.client.calls", this.client, (client) -> client.failures(operation))
				.description("Calls to identity-service, retries not counted separately")
				.tag("operation", operation)
				.tag("outcome", "failure")
				.register(registry);
		}
		for (CircuitBreaker.State state : new CircuitBreaker.State[] { CircuitBreaker.State.CLOSED,
				CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN }) {
			Gauge
				.builder("jcilium.identity.client.circuit.breaker.state", this.client,
						(client) -> (client.circuitBreakerState() == state) ? 1 : 0)
				.description("1 for the circuit breaker's current state, 0 for the others")
				.tag("state", state.name().toLowerCase())
				.register(registry);
		}
		Gauge.builder("jcilium.identity.client.cache.identities", this.client, (client) -> client.cache().size())
			.description("Identities in the local cache, reserved ones excluded")
			.register(registry);
		Gauge
			.builder("jcilium.identity.client.cache.synced", this.client, (client) -> client.cache().isSynced() ? 1 : 0)
			.description("1 while the Watch stream is up and its snapshot applied")
			.register(registry);
		FunctionCounter
			.builder("jcilium.identity.client.watch.reconnects", this.client, IdentityClient::watchReconnects)
			.description("Times the Watch stream was opened again after it ended or broke")
			.register(registry);
	}

}
