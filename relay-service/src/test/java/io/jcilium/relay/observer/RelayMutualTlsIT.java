package io.jcilium.relay.observer;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Timestamp;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.GetNodesRequest;
import io.jcilium.api.hubble.observer.Node;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.relay.NodeState;
import io.jcilium.relay.testagents.TestAgent;
import io.jcilium.relay.testagents.TestPeerService;
import io.jcilium.testsupport.TestCertificates;
import io.jcilium.testsupport.TestCertificates.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relay with mTLS on both sides (issue 17 point 1), over real TLS connections: it
 * reads an agent that requires client certificates, checking the agent's certificate
 * against the TLS name the peer service gives, and its own port refuses clients without a
 * certificate of the cluster's CA.
 */
@SpringBootTest(properties = { "spring.grpc.server.port=0", "server.port=0", "jcilium.relay.pool.check-interval=200ms",
		"jcilium.relay.pool.backoff-initial=200ms", "jcilium.relay.pool.backoff-max=1s",
		"jcilium.relay.pool.probe-timeout=2s", "jcilium.relay.observer.sort-buffer-drain-timeout=200ms",
		"spring.grpc.server.ssl.bundle=relay", "spring.grpc.server.ssl.client-auth=require",
		"spring.grpc.client.channels.hubble-peer.ssl.bundle=relay", "jcilium.relay.pool.ssl-bundle=relay" })
class RelayMutualTlsIT {

	private static final String TLS_DOMAIN = "default.hubble-grpc.cilium.io";

	private static final TestCertificates AUTHORITY = TestCertificates.newAuthority("jcilium-test-ca");

	private static final TestCertificates STRANGER = TestCertificates.newAuthority("stranger-ca");

	private static final TestPeerService PEERS = new TestPeerService(TLS_DOMAIN);

	// One certificate for every agent, as the chart gives them: a wildcard of the peers'
	// TLS names.
	private static final TestAgent AGENT = start(new TestAgent("node-a").with(PEERS)
		.withCredentials(serverCredentials(AUTHORITY.issue("cilium-agent", "*." + TLS_DOMAIN))));

	@DynamicPropertySource
	static void relay(DynamicPropertyRegistry registry) {
		// The peer service by a name its certificate carries (localhost), as the chart
		// reaches it by its Service's DNS name.
		registry.add("spring.grpc.client.channels.hubble-peer.address", () -> "static://localhost:" + AGENT.port());
		for (String property : AUTHORITY.springBundle("relay", AUTHORITY.issue("hubble-relay"))) {
			int split = property.indexOf('=');
			registry.add(property.substring(0, split), () -> property.substring(split + 1));
		}
	}

	@LocalGrpcPort
	int grpcPort;

	@AfterAll
	static void stop() throws InterruptedException {
		AGENT.close();
		AUTHORITY.close();
		STRANGER.close();
	}

	@Test
	void theRelayReadsAnAgentsFlowsOverMutualTls() throws Exception {
		Flow flow = Flow.newBuilder()
			.setTime(Timestamp.newBuilder().setSeconds(Instant.parse("2026-12-05T10:00:00Z").getEpochSecond()))
			.setNodeName("node-a")
			.setVerdict(Verdict.FORWARDED)
			.setSource(Endpoint.newBuilder().setNamespace("shop").setPodName("frontend"))
			.build();
		AGENT.add(List.of(flow));
		PEERS.announce(Map.of("node-a", AGENT.address()));

		try (Client client = new Client(credentials(AUTHORITY.issue("hubble-cli"), AUTHORITY))) {
			awaitConnected(client);
			List<GetFlowsResponse> responses = new ArrayList<>();
			client.relay().getFlows(GetFlowsRequest.getDefaultInstance()).forEachRemaining(responses::add);

			assertThat(responses.stream().filter(GetFlowsResponse::hasFlow).map(GetFlowsResponse::getFlow))
				.containsExactly(flow);
		}
	}

	// Upstream's Node.tls: the relay reads node-a over TLS and checks its certificate
	// against the name the peer service announced.
	@Test
	void getNodesReportsTheTlsTheRelaySpeaksToEachAgent() throws Exception {
		PEERS.announce(Map.of("node-a", AGENT.address()));

		try (Client client = new Client(credentials(AUTHORITY.issue("hubble-cli"), AUTHORITY))) {
			awaitConnected(client);
			Node node = client.relay().getNodes(GetNodesRequest.getDefaultInstance()).getNodes(0);

			assertThat(node.getName()).isEqualTo("node-a");
			assertThat(node.getTls().getEnabled()).isTrue();
			assertThat(node.getTls().getServerName()).isEqualTo("node-a." + TLS_DOMAIN);
		}
	}

	@Test
	void clientsWithoutACertificateOfTheClustersCaAreRefused() throws Exception {
		ChannelCredentials noCertificate = TlsChannelCredentials.newBuilder()
			.trustManager(AUTHORITY.caCertificate().toFile())
			.build();
		ChannelCredentials stranger = credentials(STRANGER.issue("hubble-cli"), AUTHORITY);
		for (ChannelCredentials credentials : List.of(noCertificate, stranger, InsecureChannelCredentials.create())) {
			try (Client client = new Client(credentials)) {
				assertThatThrownBy(() -> client.relay().getNodes(GetNodesRequest.getDefaultInstance()))
					.isInstanceOfSatisfying(StatusRuntimeException.class,
							(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
			}
		}
	}

	private static void awaitConnected(Client client) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (Instant.now().isBefore(deadline)) {
			if (client.relay()
				.getNodes(GetNodesRequest.getDefaultInstance())
				.getNodesList()
				.stream()
				.anyMatch((node) -> node.getState() == NodeState.NODE_CONNECTED)) {
				return;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("the relay did not connect to node-a over mTLS within 30 s: "
				+ client.relay().getNodes(GetNodesRequest.getDefaultInstance()));
	}

	private static ChannelCredentials credentials(Issued issued, TestCertificates trusted) throws IOException {
		return TlsChannelCredentials.newBuilder()
			.keyManager(issued.certificate().toFile(), issued.privateKey().toFile())
			.trustManager(trusted.caCertificate().toFile())
			.build();
	}

	private static ServerCredentials serverCredentials(Issued issued) {
		try {
			return TlsServerCredentials.newBuilder()
				.keyManager(issued.certificate().toFile(), issued.privateKey().toFile())
				.trustManager(AUTHORITY.caCertificate().toFile())
				.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
				.build();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static TestAgent start(TestAgent agent) {
		try {
			return agent.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A channel to the relay's own port. */
	private final class Client implements AutoCloseable {

		private final ManagedChannel channel;

		Client(ChannelCredentials credentials) {
			this.channel = Grpc.newChannelBuilderForAddress("localhost", RelayMutualTlsIT.this.grpcPort, credentials)
				.build();
		}

		ObserverGrpc.ObserverBlockingStub relay() {
			return ObserverGrpc.newBlockingStub(this.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
		}

		@Override
		public void close() throws InterruptedException {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}

	}

}
