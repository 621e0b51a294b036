package io.jcilium.agent.hubble;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.PodTraffic;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.TraceObservationPoint;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.GetNodesRequest;
import io.jcilium.api.hubble.observer.Node;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Real TCP between pods through bpf_lxc, read back as flows from the Observer API by a
 * gRPC client: the client's connection allowed by the server's policy, the attacker's
 * denied, with the fields upstream's Hubble shows for each.
 */
class HubbleFlowsIT {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private ObservedNode node;

	private ManagedChannel channel;

	private ObserverGrpc.ObserverBlockingStub observer;

	@BeforeEach
	void setUp() throws Exception {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "sysctl");
		this.node = new ObservedNode();
		this.node.start();
		this.channel = Grpc
			.newChannelBuilderForAddress("127.0.0.1", this.node.grpcPort(), InsecureChannelCredentials.create())
			.build();
		this.observer = ObserverGrpc.newBlockingStub(this.channel);
	}

	@AfterEach
	void tearDown() throws Exception {
		if (this.channel != null) {
			this.channel.shutdownNow();
		}
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void allowedAndDeniedConnectionsShowAsFlowsWithUpstreamsFields() {
		assertThat(PodTraffic.connects(this.node.clientPod, this.node.serverPod, 8080, 5000)).as("client connects")
			.isTrue();
		assertThat(PodTraffic.connects(this.node.attackerPod, this.node.serverPod, 8080, 1000)).as("attacker is denied")
			.isFalse();

		Flow syn = awaitFlow("the client's SYN delivered to the server",
				(f) -> f.getVerdict() == Verdict.FORWARDED && f.getSource().getID() == ObservedNode.CLIENT_ID
						&& f.getTraceObservationPoint() == TraceObservationPoint.TO_ENDPOINT
						&& f.getL4().getTCP().getFlags().getSYN());
		assertThat(syn.getNodeName()).isEqualTo(ObservedNode.NODE);
		assertThat(syn.getEventType().getType()).isEqualTo(4);
		assertThat(syn.getSource().getIdentity()).isEqualTo(ObservedNode.CLIENT_IDENTITY);
		assertThat(syn.getSource().getNamespace()).isEqualTo("shop");
		assertThat(syn.getSource().getPodName()).isEqualTo("client-0");
		assertThat(syn.getSource().getLabelsList()).contains("k8s:app=client");
		assertThat(syn.getDestination().getID()).isEqualTo(ObservedNode.SERVER_ID);
		assertThat(syn.getDestination().getIdentity()).isEqualTo(ObservedNode.SERVER_IDENTITY);
		assertThat(syn.getDestination().getPodName()).isEqualTo("server-0");
		assertThat(syn.getIP().getSource()).isEqualTo(this.node.clientPod.address());
		assertThat(syn.getIP().getDestination()).isEqualTo(this.node.serverPod.address());
		assertThat(syn.getL4().getTCP().getDestinationPort()).isEqualTo(8080);
		assertThat(syn.getL4().getTCP().getSourcePort()).isGreaterThan(1023);
		assertThat(syn.getL4().getTCP().getFlags().getACK()).isFalse();
		assertThat(syn.getTrafficDirection()).isEqualTo(TrafficDirection.INGRESS);
		assertThat(syn.getIsReply().getValue()).isFalse();
		assertThat(syn.hasTime()).isTrue();

		// the server traces every packet: its SYN-ACK leaves it as a reply of the
		// client's connection, so upstream names the connection's direction (ingress)
		Flow synAck = awaitFlow("the server's SYN-ACK", (f) -> f.getSource().getID() == ObservedNode.SERVER_ID
				&& f.getL4().getTCP().getFlags().getSYN() && f.getL4().getTCP().getFlags().getACK());
		assertThat(synAck.getVerdict()).isEqualTo(Verdict.FORWARDED);
		assertThat(synAck.getTraceObservationPoint()).isEqualTo(TraceObservationPoint.FROM_ENDPOINT);
		assertThat(synAck.getIsReply().getValue()).isTrue();
		assertThat(synAck.getTrafficDirection()).isEqualTo(TrafficDirection.INGRESS);
		assertThat(synAck.getL4().getTCP().getSourcePort()).isEqualTo(8080);
		assertThat(synAck.getL4().getTCP().getDestinationPort()).isEqualTo(syn.getL4().getTCP().getSourcePort());
		assertThat(synAck.getDestination().getPodName()).isEqualTo("client-0");

		Flow drop = awaitFlow("the attacker's SYN dropped",
				(f) -> f.getVerdict() == Verdict.DROPPED && f.getEventType().getType() == 1);
		assertThat(drop.getDropReasonDesc()).isEqualTo(io.jcilium.api.hubble.flow.DropReason.POLICY_DENIED);
		assertThat(DropReason.describe(drop.getDropReason())).isEqualTo("Policy denied");
		assertThat(drop.getEventType().getSubType()).isEqualTo(133);
		assertThat(drop.getSource().getID()).isEqualTo(ObservedNode.ATTACKER_ID);
		assertThat(drop.getSource().getIdentity()).isEqualTo(ObservedNode.ATTACKER_IDENTITY);
		assertThat(drop.getSource().getPodName()).isEqualTo("attacker-0");
		assertThat(drop.getDestination().getIdentity()).isEqualTo(ObservedNode.SERVER_IDENTITY);
		assertThat(drop.getDestination().getPodName()).isEqualTo("server-0");
		assertThat(drop.getL4().getTCP().getDestinationPort()).isEqualTo(8080);
		assertThat(drop.getL4().getTCP().getFlags().getSYN()).isTrue();
		assertThat(drop.getTrafficDirection()).isEqualTo(TrafficDirection.INGRESS);
		assertThat(drop.hasIsReply()).isFalse();
		// two verdicts on that SYN: the attacker's egress policy allowed it, the server's
		// ingress policy denied it
		Flow verdict = awaitFlow("the server's policy verdict on the attacker's SYN",
				(f) -> f.getEventType().getType() == 5 && f.getSource().getID() == ObservedNode.ATTACKER_ID
						&& f.getTrafficDirection() == TrafficDirection.INGRESS);
		assertThat(verdict.getVerdict()).isEqualTo(Verdict.DROPPED);
		assertThat(verdict.getDropReasonDesc()).isEqualTo(io.jcilium.api.hubble.flow.DropReason.POLICY_DENIED);
		assertThat(verdict.getDestination().getID()).isEqualTo(ObservedNode.SERVER_ID);
		assertThat(verdict.getIsReply().getValue()).isFalse();
		Flow allowedVerdict = awaitFlow("the attacker's own egress verdict",
				(f) -> f.getEventType().getType() == 5 && f.getSource().getID() == ObservedNode.ATTACKER_ID
						&& f.getTrafficDirection() == TrafficDirection.EGRESS);
		assertThat(allowedVerdict.getVerdict()).isEqualTo(Verdict.FORWARDED);
	}

	@Test
	void withoutTraceAllAConnectionIsTracedAtItsSynSynAckAndFinsButNotAtPlainAcks() {
		// The client's endpoint does not trace every packet (only the server's does).
		assertThat(PodTraffic.connects(this.node.clientPod, this.node.serverPod, 8080, 5000)).as("client connects")
			.isTrue();

		Flow synAck = awaitFlow("the server's SYN-ACK into the client",
				(f) -> isClientTrace(f, TraceObservationPoint.TO_ENDPOINT) && f.getL4().getTCP().getFlags().getSYN());
		assertThat(synAck.getL4().getTCP().getFlags().getACK()).isTrue();
		assertThat(synAck.getIsReply().getValue()).isTrue();
		assertThat(synAck.getTrafficDirection()).as("a reply of the client's egress connection")
			.isEqualTo(TrafficDirection.EGRESS);
		assertThat(synAck.getSource().getPodName()).isEqualTo("server-0");
		assertThat(synAck.getSource().getIdentity()).isEqualTo(ObservedNode.SERVER_IDENTITY);
		assertThat(synAck.getL4().getTCP().getSourcePort()).isEqualTo(8080);
		// The client closes after the server's byte and FIN: its own FIN comes after
		// every
		// plain ACK it sent, so by then any traced ACK would be in the ring.
		awaitFlow("the client's FIN",
				(f) -> isClientTrace(f, TraceObservationPoint.FROM_ENDPOINT) && f.getL4().getTCP().getFlags().getFIN());
		awaitFlow("the server's FIN into the client",
				(f) -> isClientTrace(f, TraceObservationPoint.TO_ENDPOINT) && f.getL4().getTCP().getFlags().getFIN());

		List<Flow> clientTraces = flows(GetFlowsRequest.getDefaultInstance()).stream()
			.filter((f) -> isClientTrace(f, TraceObservationPoint.FROM_ENDPOINT)
					|| isClientTrace(f, TraceObservationPoint.TO_ENDPOINT))
			.toList();
		assertThat(clientTraces).as("the client's traces carry a first SYN, FIN or RST of their direction")
			.allSatisfy(
					(f) -> assertThat(f.getL4().getTCP().getFlags().getSYN() || f.getL4().getTCP().getFlags().getFIN()
							|| f.getL4().getTCP().getFlags().getRST())
						.as("flags of %s", f.getL4().getTCP().getFlags())
						.isTrue());
		assertThat(clientTraces).as("SYN, SYN-ACK, the client's FIN, the server's FIN").hasSize(4);
	}

	/**
	 * A policy that lands while a connection is open drops the connection's next packets
	 * as "Policy denied" (as upstream, a tracked connection meets the new policy on its
	 * next packet), and none of those drops is a SYN: an attempt whose SYN passed just
	 * before the policy is denied without any SYN drop. (So the end-to-end check that
	 * looked for the SYN drop of the first denied attempt after a policy found none now
	 * and then.) The first SYN of an attempt made after the policy gives exactly one
	 * drop, "Policy denied", from its first transmission on.
	 */
	@Test
	void aPolicyLandingMidConnectionDropsItsNextPacketsButOnlyANewAttemptsSyn() throws Exception {
		int openPort = 20000 + ThreadLocalRandom.current().nextInt(20000);
		try (Socket open = connectFrom(this.node.clientPod, openPort, 5000)) {
			assertThat(open.getInputStream().read()).as("the server's byte, before the policy").isEqualTo('!');

			this.node.stopAdmittingTheClient();
			open.getOutputStream().write("after the policy".getBytes(StandardCharsets.US_ASCII));
			open.getOutputStream().flush();

			Flow midConnection = awaitFlow("the open connection's next packet dropped", (f) -> isDropFrom(f, openPort));
			assertThat(DropReason.describe(midConnection.getDropReason())).isEqualTo("Policy denied");
			assertThat(midConnection.getL4().getTCP().getFlags().getACK()).isTrue();
			assertThat(flows(GetFlowsRequest.getDefaultInstance()).stream().filter((f) -> isDropFrom(f, openPort)))
				.as("the open connection's drops")
				.noneMatch((f) -> f.getL4().getTCP().getFlags().getSYN());
		}

		// Short of the first retransmission (1 s): only the first SYN goes out.
		int newPort = (openPort + 1 + ThreadLocalRandom.current().nextInt(1000)) % 40000 + 20000;
		assertThatThrownBy(() -> connectFrom(this.node.clientPod, newPort, 500).close())
			.as("a new attempt after the policy")
			.isInstanceOf(IllegalStateException.class)
			.hasCauseInstanceOf(SocketTimeoutException.class);
		Flow syn = awaitFlow("the new attempt's first SYN dropped", (f) -> isDropFrom(f, newPort));
		assertThat(syn.getL4().getTCP().getFlags().getSYN()).isTrue();
		assertThat(syn.getL4().getTCP().getFlags().getACK()).isFalse();
		assertThat(syn.getDropReasonDesc()).isEqualTo(io.jcilium.api.hubble.flow.DropReason.POLICY_DENIED);
		assertThat(DropReason.describe(syn.getDropReason())).isEqualTo("Policy denied");
		assertThat(syn.getSource().getPodName()).isEqualTo("client-0");
		assertThat(syn.getSource().getIdentity()).isEqualTo(ObservedNode.CLIENT_IDENTITY);
		assertThat(syn.getDestination().getPodName()).isEqualTo("server-0");
		assertThat(syn.getDestination().getIdentity()).isEqualTo(ObservedNode.SERVER_IDENTITY);
		// Its policy verdict comes from the same packet: once it is there, every event of
		// that SYN is.
		awaitFlow("the new attempt's policy verdict", (f) -> f.getEventType().getType() == 5
				&& f.getL4().getTCP().getSourcePort() == newPort && f.getVerdict() == Verdict.DROPPED);
		assertThat(flows(GetFlowsRequest.getDefaultInstance()).stream().filter((f) -> isDropFrom(f, newPort)))
			.as("drop flows of the new attempt's one SYN")
			.hasSize(1);
	}

	/** A drop event (not a policy verdict) of a packet from the client's port. */
	private static boolean isDropFrom(Flow flow, int sourcePort) {
		return flow.getEventType().getType() == 1 && flow.getVerdict() == Verdict.DROPPED
				&& flow.getSource().getID() == ObservedNode.CLIENT_ID
				&& flow.getL4().getTCP().getSourcePort() == sourcePort;
	}

	/**
	 * A TCP connection from the pod, from the given source port, to the server on 8080.
	 */
	private Socket connectFrom(PodTopology.Pod pod, int sourcePort, int timeoutMillis) {
		return NetworkNamespace.call(pod.namespacePath(), () -> {
			Socket socket = new Socket();
			try {
				socket.setReuseAddress(true);
				socket.bind(new InetSocketAddress(pod.address(), sourcePort));
				socket.connect(new InetSocketAddress(this.node.serverPod.address(), 8080), timeoutMillis);
				socket.setSoTimeout(5000);
				return socket;
			}
			catch (IOException | RuntimeException ex) {
				socket.close();
				throw ex;
			}
		});
	}

	/** A trace event of the client's own program (its egress, or its ingress). */
	private static boolean isClientTrace(Flow flow, TraceObservationPoint point) {
		int clientEnd = (point == TraceObservationPoint.FROM_ENDPOINT) ? flow.getSource().getID()
				: flow.getDestination().getID();
		return flow.getEventType().getType() == 4 && flow.getTraceObservationPoint() == point
				&& clientEnd == ObservedNode.CLIENT_ID && flow.getL4().hasTCP();
	}

	@Test
	void realTrafficIsCountedByUpstreamsMetrics() throws Exception {
		assertThat(PodTraffic.connects(this.node.clientPod, this.node.serverPod, 8080, 5000)).as("client connects")
			.isTrue();
		assertThat(PodTraffic.connects(this.node.attackerPod, this.node.serverPod, 8080, 1000)).as("attacker is denied")
			.isFalse();

		awaitMetric("hubble_drop_total\\{destination=\"shop/server-0\",protocol=\"TCP\",reason=\"POLICY_DENIED\","
				+ "source=\"shop/attacker-0\"} [1-9]");
		awaitMetric("hubble_policy_verdicts_total\\{action=\"dropped\",direction=\"ingress\",match=\"[^\"]+\"} [1-9]");
		awaitMetric("hubble_tcp_flags_total\\{family=\"IPv4\",flag=\"SYN\"} [1-9]");
		awaitMetric("hubble_tcp_flags_total\\{family=\"IPv4\",flag=\"SYN-ACK\"} [1-9]");
		awaitMetric("hubble_port_distribution_total\\{port=\"8080\",protocol=\"TCP\"} [1-9]");
		assertThat(this.node.metrics.scrape()).as("the reply's port is the client's: not a destination port")
			.doesNotContainPattern("hubble_port_distribution_total\\{port=\"[1-9][0-9]{4}\"");
	}

	private void awaitMetric(String pattern) throws InterruptedException {
		Pattern wanted = Pattern.compile(pattern);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!wanted.matcher(this.node.metrics.scrape()).find()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("no metric matching " + pattern + " in\n" + this.node.metrics.scrape());
			}
			Thread.sleep(20);
		}
	}

	@Test
	void filtersSelectOnTheServerAndBadOnesAreRefusedNamingTheField() {
		assertThat(PodTraffic.connects(this.node.clientPod, this.node.serverPod, 8080, 5000)).isTrue();
		assertThat(PodTraffic.connects(this.node.attackerPod, this.node.serverPod, 8080, 1000)).isFalse();
		awaitFlow("the attacker's drop", (f) -> f.getVerdict() == Verdict.DROPPED);

		List<Flow> attackers = flows(GetFlowsRequest.newBuilder()
			.addWhitelist(FlowFilter.newBuilder().addSourcePod("shop/attack").addDestinationPort("8080"))
			.build());
		assertThat(attackers).isNotEmpty()
			.allSatisfy((f) -> assertThat(f.getSource().getPodName()).isEqualTo("attacker-0"));
		assertThat(attackers).extracting(Flow::getVerdict).contains(Verdict.DROPPED);
		List<Flow> notDropped = flows(
				GetFlowsRequest.newBuilder().addBlacklist(FlowFilter.newBuilder().addVerdict(Verdict.DROPPED)).build());
		assertThat(notDropped).isNotEmpty().noneMatch((f) -> f.getVerdict() == Verdict.DROPPED);

		assertThatThrownBy(() -> flows(GetFlowsRequest.newBuilder()
			.addWhitelist(FlowFilter.newBuilder().addDestinationIp("10.230.0.0/40"))
			.build())).isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).startsWith("whitelist[0].destination_ip: ");
			});

		ServerStatusResponse status = this.observer.serverStatus(ServerStatusRequest.getDefaultInstance());
		assertThat(status.getMaxFlows()).isEqualTo(4095);
		long droppedAttackers = attackers.stream().filter((f) -> f.getVerdict() == Verdict.DROPPED).count();
		assertThat(status.getSeenFlows()).isGreaterThanOrEqualTo(droppedAttackers + notDropped.size());
		assertThat(status.getNumFlows()).isEqualTo(status.getSeenFlows());
		assertThat(status.getUptimeNs()).isPositive();
		Node self = this.observer.getNodes(GetNodesRequest.getDefaultInstance()).getNodes(0);
		assertThat(self.getName()).isEqualTo(ObservedNode.NODE);
		assertThat(self.getSeenFlows()).isGreaterThanOrEqualTo(status.getSeenFlows());
	}

	private Flow awaitFlow(String what, Predicate<Flow> match) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		List<Flow> seen = new ArrayList<>();
		while (System.nanoTime() < deadline) {
			seen = flows(GetFlowsRequest.getDefaultInstance());
			for (Flow flow : seen) {
				if (match.test(flow)) {
					return flow;
				}
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return fail("no flow: " + what + " within " + WAIT + "; flows seen: " + seen);
	}

	private List<Flow> flows(GetFlowsRequest request) {
		List<Flow> flows = new ArrayList<>();
		Iterator<GetFlowsResponse> responses = this.observer.withDeadlineAfter(WAIT).getFlows(request);
		while (responses.hasNext()) {
			GetFlowsResponse response = responses.next();
			assertThat(response.getNodeName()).isEqualTo(ObservedNode.NODE);
			if (response.hasFlow()) {
				flows.add(response.getFlow());
			}
		}
		return flows;
	}

}
