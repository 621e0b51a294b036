package io.jcilium.agent.hubble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.testsupport.TestCertificates;
import io.jcilium.testsupport.TestCertificates.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole agent with mTLS on (issue 17 point 1), as the chart starts it: its Hubble
 * port (4244 in a cluster, a random one here) answers a client with a certificate of the
 * cluster's CA over a real TLS handshake, checked against upstream's TLS name
 * {@code <node>.<cluster>.hubble-grpc.cilium.io}, and refuses one without a certificate,
 * one with a certificate of another CA, and plaintext.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "spring.main.cloud-platform=none", "jcilium.tls.enabled=true",
				"spring.grpc.server.ssl.bundle=grpc", "spring.grpc.server.ssl.client-auth=require",
				"jcilium.agent.identity.ssl-bundle=grpc" })
class HubbleMutualTlsIT {

	private static final String TLS_NAME = "node-a.default.hubble-grpc.cilium.io";

	private static final TestCertificates AUTHORITY = TestCertificates.newAuthority("jcilium-test-ca");

	private static final TestCertificates STRANGER = TestCertificates.newAuthority("stranger-ca");

	private static final Path RUN_DIR = createRunDir();

	@DynamicPropertySource
	static void agent(DynamicPropertyRegistry registry) {
		registry.add("jcilium.agent.state-dir", () -> RUN_DIR.resolve("state").toString());
		registry.add("jcilium.agent.cni.socket-path", () -> RUN_DIR.resolve("agent.sock").toString());
		for (String property : AUTHORITY.springBundle("grpc", AUTHORITY.issue("jcilium-agent", TLS_NAME))) {
			int split = property.indexOf('=');
			registry.add(property.substring(0, split), () -> property.substring(split + 1));
		}
	}

	@LocalGrpcPort
	int grpcPort;

	@AfterAll
	static void cleanUp() throws IOException {
		AUTHORITY.close();
		STRANGER.close();
		try (Stream<Path> paths = Files.walk(RUN_DIR)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	@Test
	void theHubblePortServesOnlyClientsWithACertificateOfTheClustersCa() throws Exception {
		ChannelCredentials noCertificate = TlsChannelCredentials.newBuilder()
			.trustManager(AUTHORITY.caCertificate().toFile())
			.build();
		Map<String, ChannelCredentials> refused = Map.of("no certificate", noCertificate, "another CA's certificate",
				credentials(STRANGER.issue("hubble-relay")), "plaintext", InsecureChannelCredentials.create());

		try (Client relay = new Client(credentials(AUTHORITY.issue("hubble-relay")))) {
			assertThat(relay.observer().serverStatus(ServerStatusRequest.getDefaultInstance()).getMaxFlows())
				.isPositive();
		}
		for (Map.Entry<String, ChannelCredentials> client : refused.entrySet()) {
			try (Client refusedClient = new Client(client.getValue())) {
				assertThatThrownBy(
						() -> refusedClient.observer().serverStatus(ServerStatusRequest.getDefaultInstance()))
					.as(client.getKey())
					.isInstanceOfSatisfying(StatusRuntimeException.class,
							(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
			}
		}
	}

	private static ChannelCredentials credentials(Issued issued) throws IOException {
		return TlsChannelCredentials.newBuilder()
			.keyManager(issued.certificate().toFile(), issued.privateKey().toFile())
			.trustManager(AUTHORITY.caCertificate().toFile())
			.build();
	}

	private static Path createRunDir() {
		try {
			return Files.createTempDirectory("jcilium-agent-tls-it-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A channel to the agent's Hubble port, checking upstream's TLS name. */
	private final class Client implements AutoCloseable {

		private final ManagedChannel channel;

		Client(ChannelCredentials credentials) {
			this.channel = Grpc.newChannelBuilderForAddress("127.0.0.1", HubbleMutualTlsIT.this.grpcPort, credentials)
				.overrideAuthority(TLS_NAME)
				.build();
		}

		ObserverGrpc.ObserverBlockingStub observer() {
			return ObserverGrpc.newBlockingStub(this.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
		}

		@Override
		public void close() throws InterruptedException {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}

	}

}
