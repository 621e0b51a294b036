package io.jcilium.relay.observer;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Timestamp;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.GetNodesRequest;
import io.jcilium.api.hubble.observer.Node;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.relay.NodeState;
import io.jcilium.relay.testagents.TestAgent;
import io.jcilium.relay.testagents.TestPeerService;
import io.jcilium.testsupport.LoopbackPartition;
import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent that vanishes without a word (its link cut: no reset, no ICMP) while a client
 * follows the cluster's flows. Its follow stream from the relay would stay open until TCP
 * gives up (many minutes); the relay's keep-alive pings find the connection dead, the
 * client is told the node is unavailable and keeps getting the other agents' flows, and
 * once the link is back the relay follows the agent again. Needs root and iptables (the
 * cut is an iptables rule on loopback, removed after each run).
 */
@SpringBootTest(properties = { "spring.grpc.server.port=0", "server.port=0", "jcilium.relay.pool.check-interval=200ms",
		"jcilium.relay.pool.backoff-initial=200ms", "jcilium.relay.pool.backoff-max=1s",
		"jcilium.relay.pool.probe-timeout=1s", "jcilium.relay.pool.keep-alive-time=10s",
		"jcilium.relay.pool.keep-alive-timeout=2s", "jcilium.relay.observer.sort-buffer-drain-timeout=200ms" })
class SilentAgentIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String SILENT_ADDRESS = "127.0.0.2";

	private static final Instant BASE = Instant.parse("2026-12-07T10:00:00Z");

	private static final TestPeerService PEERS = new TestPeerService();

	private static TestAgent a;

	private static TestAgent silent;

	private LoopbackPartition link;

	@LocalGrpcPort
	int grpcPort;

	private long clockMillis;

	@BeforeAll
	static void agents() throws IOException {
		Prerequisites.requireRootAnd("iptables");
		a = new TestAgent("node-a").with(PEERS).start();
		silent = new TestAgent("node-silent").on(SILENT_ADDRESS).start();
	}

	@DynamicPropertySource
	static void peerService(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channels.hubble-peer.address", () -> "static://" + a.address());
	}

	@AfterEach
	void heal() throws IOException, InterruptedException {
		if (this.link != null) {
			this.link.heal();
		}
	}

	@AfterAll
	static void stopAgents() throws InterruptedException {
		for (TestAgent agent : new TestAgent[] { a, silent }) {
			if (agent != null) {
				agent.close();
			}
		}
	}

	@Test
	void aFollowedAgentWhoseLinkDiesSilentlyIsReportedUnavailableAndFollowedAgainWhenItReturns() throws Exception {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		ObserverGrpc.ObserverBlockingStub relay = ObserverGrpc.newBlockingStub(channel);
		PEERS.announce(Map.of(a.name(), a.address(), silent.name(), silent.address()));
		await(() -> relay.getNodes(GetNodesRequest.getDefaultInstance())
			.getNodesList()
			.stream()
			.filter((node) -> node.getState() == NodeState.NODE_CONNECTED)
			.map(Node::getName)
			.toList()
			.containsAll(List.of(a.name(), silent.name())), "both agents connected");
		BlockingQueue<GetFlowsResponse> received = new LinkedBlockingQueue<>();
		Context.CancellableContext call = Context.current().withCancellation();
		call.run(() -> ObserverGrpc.newStub(channel)
			.getFlows(GetFlowsRequest.newBuilder().setFollow(true).build(), FollowedFlows.into(received)));
		try {
			Flow first = flow(silent);
			silent.add(List.of(first));
			assertThat(next(received, (response) -> response.hasFlow())).extracting(GetFlowsResponse::getFlow)
				.isEqualTo(first);

			this.link = new LoopbackPartition(SILENT_ADDRESS, silent.port());
			this.link.cut();
			long cutNanos = System.nanoTime();
			GetFlowsResponse unavailable = next(received,
					(response) -> response.hasNodeStatus()
							&& response.getNodeStatus().getStateChange() == NodeState.NODE_UNAVAILABLE
							&& response.getNodeStatus().getNodeNamesList().contains(silent.name()));
			System.out.printf("silent agent reported unavailable %.1f s after its link was cut%n",
					(System.nanoTime() - cutNanos) / 1e9);
			assertThat(unavailable.getNodeStatus().getMessage()).isNotBlank();
			Flow fromA = flow(a);
			a.add(List.of(fromA));
			assertThat(next(received, GetFlowsResponse::hasFlow)).extracting(GetFlowsResponse::getFlow)
				.as("the other agent's flows keep coming")
				.isEqualTo(fromA);

			this.link.heal();
			next(received,
					(response) -> response.hasNodeStatus()
							&& response.getNodeStatus().getStateChange() == NodeState.NODE_CONNECTED
							&& response.getNodeStatus().getNodeNamesList().contains(silent.name()));
			Flow afterHeal = flow(silent);
			silent.add(List.of(afterHeal));
			assertThat(next(received, GetFlowsResponse::hasFlow)).extracting(GetFlowsResponse::getFlow)
				.as("followed again once its link is back")
				.isEqualTo(afterHeal);
		}
		finally {
			call.cancel(null);
			channel.shutdownNow();
		}
	}

	private Flow flow(TestAgent agent) {
		Instant at = BASE.plusMillis(++this.clockMillis);
		return Flow.newBuilder()
			.setTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
			.setNodeName(agent.name())
			.build();
	}

	private static GetFlowsResponse next(BlockingQueue<GetFlowsResponse> received,
			java.util.function.Predicate<GetFlowsResponse> wanted) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			GetFlowsResponse response = received.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
			assertThat(response).as("the expected response within %s", TIMEOUT).isNotNull();
			if (wanted.test(response)) {
				return response;
			}
		}
	}

	private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
			Thread.sleep(50);
		}
	}

}
