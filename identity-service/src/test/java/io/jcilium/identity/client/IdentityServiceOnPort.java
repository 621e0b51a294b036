package io.jcilium.identity.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.identity.IdentityServiceApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole identity-service in this JVM on a fixed gRPC port, so that it can be stopped
 * and started again where its clients expect it.
 */
final class IdentityServiceOnPort implements AutoCloseable {

	private final int redisPort;

	private final int grpcPort;

	private final List<String> properties;

	private ConfigurableApplicationContext context;

	/**
	 * @param redisPort the Redis to use
	 * @param properties extra {@code key=value} properties
	 */
	IdentityServiceOnPort(int redisPort, String... properties) throws IOException {
		this.redisPort = redisPort;
		this.properties = List.of(properties);
		try (ServerSocket socket = new ServerSocket(0)) {
			this.grpcPort = socket.getLocalPort();
		}
	}

	int grpcPort() {
		return this.grpcPort;
	}

	String target() {
		return "static://127.0.0.1:" + this.grpcPort;
	}

	synchronized IdentityServiceOnPort start() {
		if (this.context == null) {
			// As command-line arguments: they must beat application.yaml's fixed ports.
			List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + this.redisPort, "--spring.grpc.server.port=" + this.grpcPort,
					"--server.port=0", "--spring.grpc.server.shutdown-grace-period=0s",
					"--spring.lifecycle.timeout-per-shutdown-phase=2s", "--spring.main.cloud-platform=none",
					"--jcilium.identity.allocation.cache-sync-interval=200ms",
					"--jcilium.identity.allocation.gc-interval=1h",
					"--jcilium.identity.redis.circuit-breaker.wait-in-open=1s",
					// Clients here ping every 10 s, grpc-java's shortest interval.
					"--spring.grpc.server.keep-alive.permit-time=5s"));
			this.properties.forEach((property) -> arguments.add("--" + property));
			this.context = new SpringApplicationBuilder(IdentityServiceApplication.class)
				.run(arguments.toArray(String[]::new));
		}
		return this;
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** Stops the service; {@link #start()} starts it again on the same port. */
	synchronized void stop() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@Override
	public void close() {
		stop();
	}

}
