package io.jcilium.identity.eventloop;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The event loop shared by the gRPC server and the Redis client.
 *
 * @param threads event loop threads; each connection (an agent's, Redis') stays on one
 */
@ConfigurationProperties("jcilium.identity.event-loop")
record EventLoopProperties(@DefaultValue("2") int threads) {

	EventLoopProperties {
		if (threads < 1) {
			throw new IllegalArgumentException(
					"jcilium.identity.event-loop.threads is " + threads + ", must be at least 1");
		}
	}

}
