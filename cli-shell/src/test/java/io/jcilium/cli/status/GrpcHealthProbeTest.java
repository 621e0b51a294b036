package io.jcilium.cli.status;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gRPC half of {@code status} against a real gRPC server on a random local port,
 * serving grpc-java's own implementation of the standard health service.
 */
class GrpcHealthProbeTest {

	private final HealthStatusManager health = new HealthStatusManager();

	private Server server;

	@AfterEach
	void stopServer() throws InterruptedException {
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void aServingServerIsHealthy() throws IOException {
		startServer(true);

		HealthCheck check = probe().check("relay", target());

		assertThat(check).isEqualTo(new HealthCheck("relay", "grpc://" + target(), "SERVING", "", true));
	}

	@Test
	void aNotServingServerIsUnhealthy() throws IOException {
		startServer(true);
		this.health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);

		HealthCheck check = probe().check("relay", target());

		assertThat(check.healthy()).isFalse();
		assertThat(check.status()).isEqualTo("NOT_SERVING");
	}

	@Test
	void aServerWithoutTheHealthServiceIsAnError() throws IOException {
		startServer(false);

		HealthCheck check = probe().check("relay", target());

		assertThat(check.status()).isEqualTo(HealthCheck.ERROR);
		assertThat(check.details()).isEqualTo("no grpc.health.v1.Health service on this port");
	}

	@Test
	void aRefusedConnectionIsUnreachable() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}

		HealthCheck check = probe().check("relay", "127.0.0.1:" + closedPort);

		assertThat(check.status()).isEqualTo(HealthCheck.UNREACHABLE);
		assertThat(check.details()).isEqualTo("unreachable: connection refused");
	}

	@Test
	void anUnknownHostIsUnreachable() {
		// .invalid never resolves (RFC 2606).
		HealthCheck check = probe().check("relay", "no-such-host.invalid:4245");

		assertThat(check.status()).isEqualTo(HealthCheck.UNREACHABLE);
		assertThat(check.details()).isEqualTo("unreachable: unknown host");
	}

	private static GrpcHealthProbe probe() {
		// Long enough for a cold JVM on a busy machine; no passing check waits for it.
		return new GrpcHealthProbe(Duration.ofSeconds(30), InsecureChannelCredentials.create());
	}

	private void startServer(boolean withHealth) throws IOException {
		var builder = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create());
		if (withHealth) {
			builder.addService(this.health.getHealthService());
		}
		this.server = builder.build().start();
	}

	private String target() {
		return "127.0.0.1:" + this.server.getPort();
	}

}
