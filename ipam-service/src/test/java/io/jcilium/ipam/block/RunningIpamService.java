package io.jcilium.ipam.block;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.ipam.IpamServiceApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The whole ipam-service, started in this JVM on random ports against a given Redis, as
 * its jar starts (settings as command-line arguments), with a gRPC channel to it.
 */
final class RunningIpamService implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final ManagedChannel channel;

	private RunningIpamService(ConfigurableApplicationContext context, int grpcPort) {
		this.context = context;
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
	}

	static RunningIpamService start(int redisPort, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redisPort, "spring.grpc.server.port=0", "server.port=0",
				"spring.grpc.server.shutdown-grace-period=0s", "spring.lifecycle.timeout-per-shutdown-phase=2s",
				"spring.main.cloud-platform=none", "jcilium.ipam.cluster-pool.ipv4-cidrs=10.0.0.0/16"));
		all.addAll(List.of(properties));
		AtomicInteger grpcPort = new AtomicInteger();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(IpamServiceApplication.class)
			.listeners((ApplicationListener<GrpcServerStartedEvent>) (event) -> grpcPort.set(event.getPort()))
			.run(all.stream().map((property) -> "--" + property).toArray(String[]::new));
		return new RunningIpamService(context, grpcPort.get());
	}

	/** A stub calling as the operator, which administers node CIDRs. */
	IpamServiceGrpc.IpamServiceBlockingStub operator() {
		return IpamServiceGrpc.newBlockingStub(this.channel)
			.withInterceptors(CallerHeader.declaring(Caller.operator()))
			.withDeadlineAfter(30, TimeUnit.SECONDS);
	}

	/** GETs an actuator path; returns the body. */
	String actuator(String path) throws IOException, InterruptedException {
		String port = this.context.getEnvironment().getRequiredProperty("local.server.port");
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		// Generous: the machine may be loaded; callers assert what it answers, not how
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
