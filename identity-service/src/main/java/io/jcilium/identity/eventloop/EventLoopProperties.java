package io.jcilium.identity.eventloop;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The event loop shared by the gRPC server and the Redis client.
 *
 * @param threads event loop threads, 0 for half the available cores (at least one); each
 * connection (an agent's, Redis') stays on one. Fewer threads put more connections on the
 * thread of the Redis connection, so more calls are answered without a hand-off: on 2
 * cores one thread took less CPU per allocation than two (docs/benchmarks.md)
 */
@ConfigurationProperties("jcilium.identity.event-loop")
record EventLoopProperties(@DefaultValue("0") int threads) {

	EventLoopProperties {
		if (threads < 0) {
			throw new IllegalArgumentException(
					"jcilium.identity.event-loop.threads is " + threads + ", must be 0 (half the cores) or more");
		}
	}

	int effectiveThreads() {
		return (this.threads > 0) ? this.threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
	}

}
