package io.jcilium.relay.observer;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Timestamp;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.api.hubble.relay.NodeState;
import io.jcilium.relay.pool.Peer;
import io.jcilium.relay.pool.PeerPool;
import io.jcilium.relay.pool.PoolSettings;
import io.jcilium.relay.testagents.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that reaches the relay right after it learned an agent, before its periodic
 * check has probed it (as after a relay restart): the agent is asked, not reported
 * unavailable. The relay's service over a real agent's gRPC port, with no check job
 * running, so the agent is exactly "announced, never probed".
 */
class UntriedPeerIT {

	private static final Instant BASE = Instant.parse("2026-12-06T05:00:00Z");

	private final String relayName = InProcessServerBuilder.generateName();

	private TestAgent agent;

	private PeerPool pool;

	private FlowRequests requests;

	private Server relayServer;

	private ManagedChannel channel;

	private ObserverGrpc.ObserverBlockingStub relay;

	@BeforeEach
	void startRelay() throws IOException {
		this.agent = new TestAgent("node-restarted").start();
		this.pool = new PeerPool(
				(peer) -> Grpc.newChannelBuilder(peer.address(), InsecureChannelCredentials.create()).build(),
				new PoolSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30)));
		this.requests = new FlowRequests(4);
		this.requests.start();
		RelayObserverService service = new RelayObserverService(this.pool, this.requests,
				new MergeSettings(100, Duration.ofMillis(200)),
				new ClusterStatus(this.pool, Duration.ofSeconds(5), ""));
		this.relayServer = InProcessServerBuilder.forName(this.relayName).addService(service).build().start();
		this.channel = InProcessChannelBuilder.forName(this.relayName).build();
		this.relay = ObserverGrpc.newBlockingStub(this.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
	}

	@AfterEach
	void stopRelay() throws InterruptedException {
		this.channel.shutdownNow();
		this.relayServer.shutdownNow();
		this.requests.stop();
		this.pool.close();
		this.agent.close();
	}

	@Test
	void getFlowsRightAfterThePeerIsAnnouncedAsksItInsteadOfCallingItUnavailable() {
		List<Flow> history = List.of(flow(1), flow(2), flow(3));
		this.agent.add(history);
		this.pool.upsert(new Peer(this.agent.name(), this.agent.address(), ""));
		assertThat(this.pool.list().get(0).available()).as("not probed yet").isFalse();

		List<GetFlowsResponse> responses = new ArrayList<>();
		this.relay.getFlows(GetFlowsRequest.newBuilder().setNumber(10).build()).forEachRemaining(responses::add);

		assertThat(responses.get(0).getNodeStatus().getStateChange()).isEqualTo(NodeState.NODE_CONNECTED);
		assertThat(responses.get(0).getNodeStatus().getNodeNamesList()).containsExactly(this.agent.name());
		assertThat(responses.stream().filter(GetFlowsResponse::hasFlow).map(GetFlowsResponse::getFlow))
			.containsExactlyElementsOf(history);
		assertThat(responses).noneMatch((response) -> response.hasNodeStatus()
				&& response.getNodeStatus().getStateChange() == NodeState.NODE_UNAVAILABLE);
	}

	@Test
	void aRequestBeforeThePeerServiceAnnouncedAnyAgentWaitsForItsFirstAnnouncement() throws InterruptedException {
		List<Flow> history = List.of(flow(1), flow(2));
		this.agent.add(history);
		Thread announcer = new Thread(() -> {
			try {
				// The peer service answers while the request is already in.
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			this.pool.upsert(new Peer(this.agent.name(), this.agent.address(), ""));
		});
		announcer.start();

		List<GetFlowsResponse> responses = new ArrayList<>();
		this.relay.getFlows(GetFlowsRequest.newBuilder().setNumber(10).build()).forEachRemaining(responses::add);
		announcer.join();

		assertThat(responses.get(0).getNodeStatus().getNodeNamesList()).containsExactly(this.agent.name());
		assertThat(responses.stream().filter(GetFlowsResponse::hasFlow).map(GetFlowsResponse::getFlow))
			.containsExactlyElementsOf(history);
	}

	@Test
	void serverStatusRightAfterThePeerIsAnnouncedCountsItConnectedAndThatCountsAsItsProbe() {
		this.agent.add(List.of(flow(1)));
		this.pool.upsert(new Peer(this.agent.name(), this.agent.address(), ""));

		ServerStatusResponse status = this.relay.serverStatus(ServerStatusRequest.getDefaultInstance());

		assertThat(status.getNumConnectedNodes().getValue()).isEqualTo(1);
		assertThat(status.getNumUnavailableNodes().getValue()).isZero();
		assertThat(status.getMaxFlows()).isEqualTo(TestAgent.MAX_FLOWS);
		assertThat(this.pool.list().get(0).available()).isTrue();
	}

	@Test
	void anAnnouncedPeerThatIsDownIsReportedUnavailableWithoutFailingTheRequest() throws IOException {
		this.pool.upsert(new Peer("node-down", "127.0.0.1:" + closedPort(), ""));

		List<GetFlowsResponse> responses = new ArrayList<>();
		this.relay.getFlows(GetFlowsRequest.newBuilder().setNumber(10).build()).forEachRemaining(responses::add);

		assertThat(responses).isNotEmpty().allMatch(GetFlowsResponse::hasNodeStatus);
		GetFlowsResponse last = responses.get(responses.size() - 1);
		assertThat(last.getNodeStatus().getStateChange()).isEqualTo(NodeState.NODE_UNAVAILABLE);
		assertThat(last.getNodeStatus().getNodeNamesList()).containsExactly("node-down");
		assertThat(this.pool.list().get(0).untried()).as("the failed call counts as its probe").isFalse();
		assertThat(this.pool.list().get(0).callable()).as("left to the backoff now").isFalse();
	}

	private Flow flow(int second) {
		Instant at = BASE.plusSeconds(second);
		return Flow.newBuilder()
			.setTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
			.setNodeName(this.agent.name())
			.setVerdict(Verdict.FORWARDED)
			.setSource(Endpoint.newBuilder().setNamespace("shop").setPodName("frontend"))
			.build();
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
