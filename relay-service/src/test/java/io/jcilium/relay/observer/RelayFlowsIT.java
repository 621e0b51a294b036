package io.jcilium.relay.observer;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.google.protobuf.Timestamp;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.GetNamespacesRequest;
import io.jcilium.api.hubble.observer.GetNamespacesResponse;
import io.jcilium.api.hubble.observer.GetNodesRequest;
import io.jcilium.api.hubble.observer.Namespace;
import io.jcilium.api.hubble.observer.Node;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.api.hubble.relay.NodeState;
import io.jcilium.relay.testagents.TestAgent;
import io.jcilium.relay.testagents.TestPeerService;
import io.jcilium.testsupport.WireFields;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The whole relay-service against three agents: real gRPC servers speaking the agents'
 * Observer and Peer contracts over flows the test gives them (the agent's own Observer is
 * tested in the agent). The relay learns them from Notify on the first one, as it would
 * from any agent, and serves the merged cluster on its own gRPC port.
 */
@SpringBootTest(properties = { "spring.grpc.server.port=0", "server.port=0", "jcilium.relay.pool.check-interval=200ms",
		"jcilium.relay.pool.backoff-initial=200ms", "jcilium.relay.pool.backoff-max=1s",
		"jcilium.relay.pool.probe-timeout=2s", "jcilium.relay.observer.sort-buffer-drain-timeout=200ms" })
class RelayFlowsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Instant BASE = Instant.parse("2026-12-05T10:00:00Z");

	private static final AtomicLong CLOCK_MILLIS = new AtomicLong();

	private static final TestPeerService PEERS = new TestPeerService();

	private static final TestAgent A = start(new TestAgent("node-a").with(PEERS));

	private static final TestAgent B = start(new TestAgent("node-b"));

	private static final TestAgent C = start(new TestAgent("node-c"));

	@DynamicPropertySource
	static void peerService(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channels.hubble-peer.address", () -> "static://" + A.address());
	}

	@LocalGrpcPort
	int grpcPort;

	@Autowired
	MeterRegistry meters;

	private ManagedChannel channel;

	private ObserverGrpc.ObserverBlockingStub relay;

	@BeforeEach
	void connect() {
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		this.relay = ObserverGrpc.newBlockingStub(this.channel);
		List.of(A, B, C).forEach(TestAgent::clear);
	}

	@AfterEach
	void disconnect() {
		this.channel.shutdownNow();
	}

	@AfterAll
	static void stopAgents() throws InterruptedException {
		for (TestAgent agent : List.of(A, B, C)) {
			agent.close();
		}
	}

	@Test
	void flowsOfThreeAgentsComeOutInStrictTimeOrder() {
		cluster(A, B, C);
		List<Flow> expected = new ArrayList<>();
		// Interleaved: a, b, c, a, b, c... each agent's own flows in order.
		for (int i = 0; i < 30; i++) {
			for (TestAgent agent : List.of(A, B, C)) {
				Flow flow = flow(agent, "shop/frontend", Verdict.FORWARDED);
				agent.add(List.of(flow));
				expected.add(flow);
			}
		}

		List<GetFlowsResponse> responses = all(GetFlowsRequest.getDefaultInstance());

		assertThat(responses.get(0).getNodeStatus().getStateChange()).isEqualTo(NodeState.NODE_CONNECTED);
		assertThat(responses.get(0).getNodeStatus().getNodeNamesList()).containsExactly("node-a", "node-b", "node-c");
		List<Flow> flows = flows(responses);
		assertThat(flows).containsExactlyElementsOf(expected);
		assertThat(flows).isSortedAccordingTo((x, y) -> Long.compare(nanos(x.getTime()), nanos(y.getTime())));
		assertThat(responses.stream().filter(GetFlowsResponse::hasFlow).map(GetFlowsResponse::getNodeName).distinct())
			.containsExactlyInAnyOrder("node-a", "node-b", "node-c");
	}

	@Test
	void thousandsOfFlowsPerAgentArriveInBurstsAndStillComeOutInStrictTimeOrder() {
		cluster(A, B, C);
		List<Flow> expected = new ArrayList<>();
		Map<TestAgent, List<Flow>> perAgent = new LinkedHashMap<>();
		List.of(A, B, C).forEach((agent) -> perAgent.put(agent, new ArrayList<>()));
		// Far more than a flow-control window per agent: each stream arrives in bursts.
		for (int i = 0; i < 3000; i++) {
			for (TestAgent agent : List.of(A, B, C)) {
				Flow flow = flow(agent, "shop/frontend", Verdict.FORWARDED);
				perAgent.get(agent).add(flow);
				expected.add(flow);
			}
		}
		perAgent.forEach(TestAgent::add);

		List<Flow> flows = flows(all(GetFlowsRequest.getDefaultInstance()));

		assertThat(flows).hasSize(expected.size());
		assertThat(flows).isSortedAccordingTo((x, y) -> Long.compare(nanos(x.getTime()), nanos(y.getTime())));
		assertThat(flows).containsExactlyElementsOf(expected);
	}

	@Test
	void numberKeepsTheLatestOrWithFirstTheEarliestOfTheWholeCluster() {
		cluster(A, B, C);
		List<Flow> all = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			for (TestAgent agent : List.of(C, A, B)) {
				Flow flow = flow(agent, "shop/frontend", Verdict.FORWARDED);
				agent.add(List.of(flow));
				all.add(flow);
			}
		}

		assertThat(flows(all(GetFlowsRequest.newBuilder().setNumber(7).build())))
			.containsExactlyElementsOf(all.subList(all.size() - 7, all.size()));
		assertThat(flows(all(GetFlowsRequest.newBuilder().setNumber(7).setFirst(true).build())))
			.containsExactlyElementsOf(all.subList(0, 7));
	}

	@Test
	void filtersAndTimeRangeReachEveryAgentUnchanged() {
		cluster(A, B, C);
		for (TestAgent agent : List.of(A, B, C)) {
			agent.add(List.of(flow(agent, "shop/frontend", Verdict.FORWARDED)));
		}
		Timestamp since = time(CLOCK_MILLIS.get() + 1);
		List<Flow> expected = new ArrayList<>();
		for (TestAgent agent : List.of(A, B, C)) {
			Flow dropped = flow(agent, "shop/frontend", Verdict.DROPPED);
			Flow otherNamespace = flow(agent, "kube-system/coredns", Verdict.FORWARDED);
			Flow selected = flow(agent, "shop/frontend-2", Verdict.FORWARDED);
			agent.add(List.of(dropped, otherNamespace, selected));
			expected.add(selected);
		}
		Timestamp until = time(CLOCK_MILLIS.get());
		for (TestAgent agent : List.of(A, B, C)) {
			agent.add(List.of(flow(agent, "shop/frontend", Verdict.FORWARDED)));
		}
		GetFlowsRequest request = GetFlowsRequest.newBuilder()
			.addWhitelist(FlowFilter.newBuilder().addSourcePod("shop/"))
			.addBlacklist(FlowFilter.newBuilder().addVerdict(Verdict.DROPPED))
			.setSince(since)
			.setUntil(until)
			.build();

		List<Flow> flows = flows(all(request));

		for (TestAgent agent : List.of(A, B, C)) {
			assertThat(agent.requests()).as(agent.name()).containsExactly(request);
		}
		assertThat(flows).containsExactlyElementsOf(expected);
	}

	@Test
	void anAgentDownAtTheStartGivesPartialResultsNamingIt() throws IOException {
		String deadAddress = "127.0.0.1:" + freePort();
		cluster(Map.of("node-a", A.address(), "node-b", B.address(), "node-down", deadAddress), Map.of("node-a",
				NodeState.NODE_CONNECTED, "node-b", NodeState.NODE_CONNECTED, "node-down", NodeState.NODE_UNAVAILABLE));
		Flow fromA = flow(A, "shop/frontend", Verdict.FORWARDED);
		Flow fromB = flow(B, "shop/frontend", Verdict.FORWARDED);
		A.add(List.of(fromA));
		B.add(List.of(fromB));

		List<GetFlowsResponse> responses = all(GetFlowsRequest.getDefaultInstance());

		assertThat(flows(responses)).containsExactly(fromA, fromB);
		assertThat(responses.stream()
			.filter(GetFlowsResponse::hasNodeStatus)
			.filter((response) -> response.getNodeStatus().getStateChange() == NodeState.NODE_UNAVAILABLE)
			.flatMap((response) -> response.getNodeStatus().getNodeNamesList().stream())).containsExactly("node-down");
		ServerStatusResponse status = this.relay.serverStatus(ServerStatusRequest.getDefaultInstance());
		assertThat(status.getNumConnectedNodes().getValue()).isEqualTo(2);
		assertThat(status.getNumUnavailableNodes().getValue()).isEqualTo(1);
		assertThat(status.getUnavailableNodesList()).containsExactly("node-down");
		assertThat(status.getNumFlows()).isEqualTo(2);
		assertThat(status.getMaxFlows()).isEqualTo(2L * TestAgent.MAX_FLOWS);
		assertThat(this.meters.get("hubble_relay_nodes").tag("state", "unavailable").gauge().value()).isEqualTo(1);
		assertThat(this.meters.get("hubble_relay_nodes").tag("state", "connected").gauge().value()).isEqualTo(2);
	}

	@Test
	void aFilterTheAgentsRefuseIsRefusedToTheClientNamingTheFieldNotCalledPartial() {
		cluster(A, B, C);
		A.add(List.of(flow(A, "shop/frontend", Verdict.FORWARDED)));

		assertThatThrownBy(() -> all(GetFlowsRequest.newBuilder()
			.addWhitelist(FlowFilter.newBuilder().addSourcePod("shop/"))
			.addWhitelist(FlowFilter.newBuilder().addDestinationIp("10.0.0.0/40"))
			.build())).isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).startsWith("whitelist[1].destination_ip: ")
					.contains("10.0.0.0/40");
			});
		assertThat(all(GetFlowsRequest.getDefaultInstance())).as("the relay serves the next request")
			.anySatisfy((response) -> assertThat(response.hasFlow()).isTrue());
	}

	@Test
	void namespacesOfEveryAvailableAgentAreMergedAndAnAgentDownIsNoError() throws IOException {
		String deadAddress = "127.0.0.1:" + freePort();
		cluster(Map.of("node-a", A.address(), "node-b", B.address(), "node-down", deadAddress), Map.of("node-a",
				NodeState.NODE_CONNECTED, "node-b", NodeState.NODE_CONNECTED, "node-down", NodeState.NODE_UNAVAILABLE));
		A.add(List.of(flow(A, "shop/frontend", Verdict.FORWARDED), flow(A, "bank/ledger", Verdict.FORWARDED)));
		B.add(List.of(flow(B, "shop/backend", Verdict.DROPPED), flow(B, "kube-system/coredns", Verdict.FORWARDED)));

		GetNamespacesResponse namespaces = this.relay.getNamespaces(GetNamespacesRequest.getDefaultInstance());

		assertThat(namespaces.getNamespacesList()).extracting(Namespace::getCluster, Namespace::getNamespace)
			.containsExactly(tuple("default", "bank"), tuple("default", "kube-system"), tuple("default", "shop"));
	}

	// What the relay adds, read back by field number only against upstream's
	// api/v1/observer/observer.proto and api/v1/relay/relay.proto (numbers written out by
	// hand), as a client generated from upstream's files reads it.
	@Test
	void nodeStatusAndClusterCountsReachAnUpstreamClientOnUpstreamsFieldNumbers() throws IOException {
		String deadAddress = "127.0.0.1:" + freePort();
		cluster(Map.of("node-a", A.address(), "node-down", deadAddress),
				Map.of("node-a", NodeState.NODE_CONNECTED, "node-down", NodeState.NODE_UNAVAILABLE));

		List<GetFlowsResponse> responses = all(GetFlowsRequest.getDefaultInstance());

		WireFields connected = WireFields.parse(responses.get(0).toByteArray()).message(2); // node_status
		assertThat(connected.varint(1)).isEqualTo(1); // state_change = NODE_CONNECTED
		assertThat(connected.strings(2)).containsExactly("node-a"); // node_names
		WireFields unavailable = WireFields.parse(responses.get(1).toByteArray()).message(2);
		assertThat(unavailable.varint(1)).isEqualTo(2); // NODE_UNAVAILABLE
		assertThat(unavailable.strings(2)).containsExactly("node-down");
		assertThat(unavailable.string(3)).isNotBlank(); // message
		WireFields status = WireFields
			.parse(this.relay.serverStatus(ServerStatusRequest.getDefaultInstance()).toByteArray());
		assertThat(status.message(5).varint(1)).isEqualTo(1); // num_connected_nodes.value
		assertThat(status.message(6).varint(1)).isEqualTo(1); // num_unavailable_nodes.value
		assertThat(status.strings(7)).containsExactly("node-down"); // unavailable_nodes
		assertThat(status.varint(2)).isEqualTo(TestAgent.MAX_FLOWS); // max_flows
		WireFields nodes = WireFields.parse(this.relay.getNodes(GetNodesRequest.getDefaultInstance()).toByteArray());
		Map<String, Long> states = new LinkedHashMap<>();
		nodes.messages(1).forEach((node) -> states.put(node.string(1), node.varint(4))); // name,
																							// state
		assertThat(states).containsExactly(Map.entry("node-a", 1L), Map.entry("node-down", 2L));
		assertThat(nodes.messages(1).get(0).string(2)).isEqualTo(TestAgent.VERSION); // version
		assertThat(nodes.messages(1).get(0).string(3)).isEqualTo(A.address()); // address
	}

	@Test
	void peersAddedAndDeletedThroughNotifyShowInGetNodes() {
		cluster(A, B);
		B.add(List.of(flow(B, "shop/frontend", Verdict.FORWARDED), flow(B, "shop/frontend", Verdict.FORWARDED)));
		Map<String, Node> nodes = nodes();
		assertThat(nodes.get("node-b").getVersion()).isEqualTo(TestAgent.VERSION);
		assertThat(nodes.get("node-b").getAddress()).isEqualTo(B.address());
		assertThat(nodes.get("node-b").getNumFlows()).isEqualTo(2);
		assertThat(nodes.get("node-b").getMaxFlows()).isEqualTo(TestAgent.MAX_FLOWS);
		assertThat(nodes.get("node-b").getUptimeNs()).isPositive();
		// Plaintext (this relay names no bundle): no TLS, and no name checked.
		assertThat(nodes.get("node-b").getTls().getEnabled()).isFalse();
		assertThat(nodes.get("node-b").getTls().getServerName()).isEmpty();

		cluster(A, B, C);
		cluster(A, C);
		assertThat(nodes()).containsOnlyKeys("node-a", "node-c");
	}

	@Test
	void followKeepsStreamingWhenAnAgentIsKilledAndPicksItUpWhenItReturns() throws Exception {
		cluster(A, B, C);
		BlockingQueue<GetFlowsResponse> received = new LinkedBlockingQueue<>();
		Context.CancellableContext call = Context.current().withCancellation();
		call.run(() -> ObserverGrpc.newStub(this.channel)
			.getFlows(GetFlowsRequest.newBuilder().setFollow(true).build(), FollowedFlows.into(received)));
		try {
			List<Flow> expected = new ArrayList<>();
			awaitStatus(received, NodeState.NODE_CONNECTED, "node-a");
			for (TestAgent agent : List.of(A, B, C)) {
				Flow flow = flow(agent, "shop/frontend", Verdict.FORWARDED);
				agent.add(List.of(flow));
				expected.add(flow);
			}
			List<Flow> seen = awaitFlows(received, 3);

			C.stop();
			awaitStatus(received, NodeState.NODE_UNAVAILABLE, "node-c");
			for (TestAgent agent : List.of(A, B)) {
				Flow flow = flow(agent, "shop/frontend", Verdict.FORWARDED);
				agent.add(List.of(flow));
				expected.add(flow);
			}
			seen.addAll(awaitFlows(received, 2));

			C.start();
			Flow afterRestart = flow(C, "shop/frontend", Verdict.FORWARDED);
			C.add(List.of(afterRestart));
			expected.add(afterRestart);
			awaitStatus(received, NodeState.NODE_CONNECTED, "node-c");
			seen.addAll(awaitFlows(received, 1));
			Flow fromA = flow(A, "shop/frontend", Verdict.FORWARDED);
			A.add(List.of(fromA));
			expected.add(fromA);
			seen.addAll(awaitFlows(received, 1));

			assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(C.requests()).last()
				.satisfies((resumed) -> assertThat(resumed.hasSince()).as("resumed from its last flow").isTrue());
		}
		finally {
			call.cancel(null);
			if (C.port() != 0) {
				try {
					C.start();
				}
				catch (IOException alreadyRunning) {
					// started above
				}
			}
		}
	}

	private void cluster(TestAgent... agents) {
		Map<String, String> addresses = new LinkedHashMap<>();
		Map<String, NodeState> states = new LinkedHashMap<>();
		for (TestAgent agent : agents) {
			addresses.put(agent.name(), agent.address());
			states.put(agent.name(), NodeState.NODE_CONNECTED);
		}
		cluster(addresses, states);
	}

	private void cluster(Map<String, String> addresses, Map<String, NodeState> states) {
		PEERS.announce(addresses);
		await(() -> {
			Map<String, NodeState> now = new LinkedHashMap<>();
			nodes().forEach((name, node) -> now.put(name, node.getState()));
			return now.equals(states);
		}, "the relay to see " + states);
	}

	private Map<String, Node> nodes() {
		Map<String, Node> nodes = new LinkedHashMap<>();
		this.relay.getNodes(GetNodesRequest.getDefaultInstance())
			.getNodesList()
			.forEach((node) -> nodes.put(node.getName(), node));
		return nodes;
	}

	private List<GetFlowsResponse> all(GetFlowsRequest request) {
		List<GetFlowsResponse> responses = new ArrayList<>();
		Iterator<GetFlowsResponse> iterator = this.relay.withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
			.getFlows(request);
		iterator.forEachRemaining(responses::add);
		return responses;
	}

	private static List<Flow> flows(List<GetFlowsResponse> responses) {
		return responses.stream().filter(GetFlowsResponse::hasFlow).map(GetFlowsResponse::getFlow).toList();
	}

	private static List<Flow> awaitFlows(BlockingQueue<GetFlowsResponse> received, int count)
			throws InterruptedException {
		List<Flow> flows = new ArrayList<>();
		while (flows.size() < count) {
			GetFlowsResponse next = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(next).as("flow %d of %d within %s", flows.size() + 1, count, TIMEOUT).isNotNull();
			if (next.hasFlow()) {
				flows.add(next.getFlow());
			}
		}
		return flows;
	}

	private static void awaitStatus(BlockingQueue<GetFlowsResponse> received, NodeState state, String node)
			throws InterruptedException {
		Predicate<GetFlowsResponse> wanted = (response) -> response.hasNodeStatus()
				&& response.getNodeStatus().getStateChange() == state
				&& response.getNodeStatus().getNodeNamesList().contains(node);
		while (true) {
			GetFlowsResponse next = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(next).as("%s for %s within %s", state, node, TIMEOUT).isNotNull();
			assertThat(next.hasFlow()).as("a flow before %s for %s: %s", state, node, next).isFalse();
			if (wanted.test(next)) {
				return;
			}
		}
	}

	private static void await(java.util.function.BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	/**
	 * A flow at the next millisecond of the test's clock, from a pod on the agent's node.
	 */
	private static Flow flow(TestAgent agent, String sourcePod, Verdict verdict) {
		String[] pod = sourcePod.split("/");
		return Flow.newBuilder()
			.setTime(time(CLOCK_MILLIS.incrementAndGet()))
			.setNodeName(agent.name())
			.setVerdict(verdict)
			.setSource(Endpoint.newBuilder().setNamespace(pod[0]).setPodName(pod[1]))
			.build();
	}

	private static Timestamp time(long millis) {
		Instant at = BASE.plusMillis(millis);
		return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
	}

	private static long nanos(Timestamp time) {
		return time.getSeconds() * 1_000_000_000L + time.getNanos();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
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

}
