package io.jcilium.identity.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.identity.IdentityServiceApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole identity-service, started in this JVM on random ports against a given Redis,
 * with a gRPC channel to it. Closing it closes the channel and the application.
 */
public final class RunningIdentityService implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final ManagedChannel channel;

	private RunningIdentityService(ConfigurableApplicationContext context) {
		this.context = context;
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort()).usePlaintext().build();
	}

	/**
	 * Starts the service.
	 * @param redisPort the Redis to use
	 * @param properties extra {@code key=value} properties
	 * @return the running service
	 */
	public static RunningIdentityService start(int redisPort, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redisPort, "spring.grpc.server.port=0", "server.port=0",
				"spring.grpc.server.shutdown-grace-period=0s", "spring.lifecycle.timeout-per-shutdown-phase=2s",
				"spring.main.cloud-platform=none", "jcilium.identity.allocation.cache-sync-interval=200ms",
				"jcilium.identity.allocation.gc-interval=1h"));
		// A property the caller sets replaces the default here (twice on the command
		// line, Spring would join both values with a comma).
		for (String property : properties) {
			String key = property.substring(0, property.indexOf('=') + 1);
			all.removeIf((existing) -> existing.startsWith(key));
		}
		all.addAll(List.of(properties));
		// As command-line arguments: they must beat application.yaml's fixed ports.
		ConfigurableApplicationContext context = new SpringApplicationBuilder(IdentityServiceApplication.class)
			.run(all.stream().map((property) -> "--" + property).toArray(String[]::new));
		return new RunningIdentityService(context);
	}

	public int grpcPort() {
		return Integer.parseInt(this.context.getEnvironment().getRequiredProperty("local.grpc.port"));
	}

	public ManagedChannel channel() {
		return this.channel;
	}

	/**
	 * A stub calling as the operator, which may act for every node: tests that are not
	 * about authorisation name whatever nodes they like.
	 */
	public IdentityServiceGrpc.IdentityServiceBlockingStub blocking() {
		return blocking(Caller.operator());
	}

	/** A stub calling as the given caller. */
	public IdentityServiceGrpc.IdentityServiceBlockingStub blocking(Caller caller) {
		return IdentityServiceGrpc.newBlockingStub(this.channel)
			.withInterceptors(CallerHeader.declaring(caller))
			.withDeadlineAfter(30, TimeUnit.SECONDS);
	}

	/** A stub that declares no caller, as a client that does not say who it is. */
	public IdentityServiceGrpc.IdentityServiceBlockingStub undeclared() {
		return IdentityServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
	}

	/** An async stub calling as the operator. */
	public IdentityServiceGrpc.IdentityServiceStub async() {
		return async(Caller.operator());
	}

	public IdentityServiceGrpc.IdentityServiceStub async(Caller caller) {
		return IdentityServiceGrpc.newStub(this.channel).withInterceptors(CallerHeader.declaring(caller));
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** GETs an actuator path, e.g. {@code /actuator/health/redis}; returns the body. */
	public String actuator(String path) throws IOException, InterruptedException {
		String port = this.context.getEnvironment().getRequiredProperty("local.server.port");
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		// Generous: with Redis down, the health check waits out Redis' connection
		// attempts,
		// on a machine that may be loaded; the callers assert what it answers, not how
		// fast.
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(60))
			.build();
		return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	@Override
	public void close() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		this.context.close();
	}

}
