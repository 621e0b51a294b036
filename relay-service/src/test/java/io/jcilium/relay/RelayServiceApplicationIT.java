package io.jcilium.relay;

import java.io.IOException;
import java.util.Map;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.jcilium.api.hubble.observer.GetNodesRequest;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.relay.testagents.TestAgent;
import io.jcilium.relay.testagents.TestPeerService;
import io.jcilium.testsupport.ServiceSmokeChecks;
import io.jcilium.testsupport.ServiceSmokeTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the whole relay-service on random ports, as its jar would start, with a peer
 * service to learn the agents from (an agent announcing itself), and checks what every
 * deployment relies on: the probes, {@code info}, Prometheus metrics, the standard gRPC
 * health check, and the Observer on the gRPC port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "jcilium.relay.pool.check-interval=200ms" })
class RelayServiceApplicationIT extends ServiceSmokeTests {

	private static final TestPeerService PEERS = new TestPeerService();

	private static final TestAgent AGENT = new TestAgent("kind-worker").with(PEERS);

	@DynamicPropertySource
	static void peerService(DynamicPropertyRegistry registry) throws IOException {
		AGENT.start();
		PEERS.announce(Map.of(AGENT.name(), AGENT.address()));
		registry.add("spring.grpc.client.channels.hubble-peer.address", () -> "static://" + AGENT.address());
	}

	@AfterAll
	static void stopAgent() throws InterruptedException {
		AGENT.close();
	}

	@LocalGrpcPort
	int grpcPort;

	@Override
	protected String serviceName() {
		return "relay-service";
	}

	@Test
	void healthIsUp() throws Exception {
		smoke().healthIsUp();
	}

	@Test
	void grpcHealthCheckAnswersServing() throws Exception {
		ServiceSmokeChecks.grpcHealthCheckAnswersServing(this.grpcPort);
	}

	// The relay learns the agent from the peer service and lists it.
	@Test
	void observerListsTheAgentsThePeerServiceAnnounces() throws InterruptedException {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		try {
			ObserverGrpc.ObserverBlockingStub relay = ObserverGrpc.newBlockingStub(channel);
			long deadline = System.nanoTime() + 30_000_000_000L;
			while (relay.getNodes(GetNodesRequest.getDefaultInstance()).getNodesCount() == 0
					&& System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(relay.getNodes(GetNodesRequest.getDefaultInstance()).getNodesList())
				.extracting((node) -> node.getName() + "@" + node.getAddress())
				.containsExactly(AGENT.name() + "@" + AGENT.address());
		}
		finally {
			channel.shutdownNow();
		}
	}

}
