package io.jcilium.ipam.grpc;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the IPAM gRPC API.
 *
 * @param threads threads running calls (each may wait for Redis up to its command
 * timeout)
 * @param maxCallsInFlight calls started and not yet answered, beyond which new ones are
 * refused with RESOURCE_EXHAUSTED: the calls' queue is bounded by it
 * @param maxPoolBlocksPerNode most blocks of one pool and family a node may hold (the
 * {@code block_count} of AllocatePoolBlock)
 */
@ConfigurationProperties("jcilium.ipam.grpc")
record IpamGrpcProperties(@DefaultValue("8") int threads, @DefaultValue("256") int maxCallsInFlight,
		@DefaultValue("16") int maxPoolBlocksPerNode) {

	static final String MAX_CALLS_PROPERTY = "jcilium.ipam.grpc.max-calls-in-flight";

	static final String MAX_BLOCKS_PROPERTY = "jcilium.ipam.grpc.max-pool-blocks-per-node";

	IpamGrpcProperties {
		if (threads < 1 || maxCallsInFlight < 1 || maxPoolBlocksPerNode < 1) {
			throw new IllegalArgumentException(
					"jcilium.ipam.grpc.threads (" + threads + "), " + MAX_CALLS_PROPERTY + " (" + maxCallsInFlight
							+ ") and " + MAX_BLOCKS_PROPERTY + " (" + maxPoolBlocksPerNode + ") must be at least 1");
		}
	}

}
