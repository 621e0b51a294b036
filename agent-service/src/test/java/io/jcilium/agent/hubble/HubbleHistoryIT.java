package io.jcilium.agent.hubble;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.google.protobuf.Timestamp;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTraffic;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The durable flow history across an agent restart, on real traffic: the flows of
 * connections made before the restart, through bpf_lxc and the observer into the history,
 * are served after it by {@code GetFlows} with {@code since}, with the same filters,
 * followed by the new run's flows in time order; without {@code since} a call reads only
 * the new run's ring, as upstream.
 */
class HubbleHistoryIT {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path historyDirectory;

	private ObservedNode node;

	private ManagedChannel channel;

	@BeforeEach
	void requirements() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "sysctl");
	}

	@AfterEach
	void tearDown() throws Exception {
		stopAgent();
	}

	@Test
	void flowsSeenBeforeARestartAreServedAfterItWithSinceAndTheSameFilters() throws Exception {
		Instant before = Instant.now().minusSeconds(1);
		startAgent();
		assertThat(PodTraffic.connects(this.node.clientPod, this.node.serverPod, 8080, 5000)).as("client connects")
			.isTrue();
		assertThat(PodTraffic.connects(this.node.attackerPod, this.node.serverPod, 8080, 1000)).as("attacker is denied")
			.isFalse();
		await(() -> flows(GetFlowsRequest.getDefaultInstance()).stream()
			.anyMatch((f) -> f.getVerdict() == Verdict.DROPPED && f.getEventType().getType() == 1), "the drop");
		long seen = this.node.observer.ring().writePosition();
		ObservedNode first = this.node;
		await(() -> first.history.position() >= seen, "the history keeps the first run's " + seen + " events");
		stopAgent();
		Instant restart = Instant.now();

		startAgent();
		assertThat(flows(GetFlowsRequest.getDefaultInstance()))
			.as("without since, only the new run's ring: the attacker's drop was before the restart")
			.noneMatch((f) -> f.getVerdict() == Verdict.DROPPED);
		assertThat(PodTraffic.connects(this.node.clientPod, this.node.serverPod, 8080, 5000))
			.as("client connects again")
			.isTrue();

		List<Flow> drops = flows(GetFlowsRequest.newBuilder()
			.setSince(timestamp(before))
			.addWhitelist(FlowFilter.newBuilder()
				.addVerdict(Verdict.DROPPED)
				.addEventType(io.jcilium.api.hubble.flow.EventTypeFilter.newBuilder().setType(1)))
			.build());
		assertThat(drops).as("the attacker's drops (SYN and any retransmission) from before the restart")
			.isNotEmpty()
			.allSatisfy((drop) -> {
				assertThat(drop.getDropReasonDesc()).isEqualTo(io.jcilium.api.hubble.flow.DropReason.POLICY_DENIED);
				assertThat(drop.getSource().getPodName()).isEqualTo("attacker-0");
				assertThat(drop.getSource().getIdentity()).isEqualTo(ObservedNode.ATTACKER_IDENTITY);
				assertThat(drop.getDestination().getIdentity()).isEqualTo(ObservedNode.SERVER_IDENTITY);
				assertThat(drop.getL4().getTCP().getDestinationPort()).isEqualTo(8080);
				assertThat(drop.getNodeName()).isEqualTo(ObservedNode.NODE);
				assertThat(time(drop)).isLessThan(nanos(restart));
			});

		FlowFilter clientSyns = FlowFilter.newBuilder()
			.addSourcePod("shop/client")
			.addTcpFlags(TCPFlags.newBuilder().setSYN(true))
			.addEventType(io.jcilium.api.hubble.flow.EventTypeFilter.newBuilder().setType(4))
			.addDestinationPort("8080")
			.build();
		List<Flow> syns = flows(
				GetFlowsRequest.newBuilder().setSince(timestamp(before)).addWhitelist(clientSyns).build());
		List<Flow> beforeRestart = syns.stream().filter((f) -> time(f) < nanos(restart)).toList();
		List<Flow> afterRestart = syns.stream().filter((f) -> time(f) >= nanos(restart)).toList();
		assertThat(beforeRestart).as("the client's SYN traces of the first run, from the history").isNotEmpty();
		assertThat(afterRestart).as("the same connection's traces of the second run").hasSameSizeAs(beforeRestart);
		assertThat(syns).as("in time order").isSortedAccordingTo((a, b) -> Long.compare(time(a), time(b)));
		assertThat(syns).allSatisfy((f) -> {
			assertThat(f.getVerdict()).isEqualTo(Verdict.FORWARDED);
			assertThat(f.getSource().getIdentity()).isEqualTo(ObservedNode.CLIENT_IDENTITY);
			assertThat(f.getL4().getTCP().getFlags().getACK()).isFalse();
		});
		List<Flow> sinceRestart = flows(
				GetFlowsRequest.newBuilder().setSince(timestamp(restart)).addWhitelist(clientSyns).build());
		assertThat(sinceRestart).as("since the restart: the first run's are outside the window")
			.hasSameSizeAs(afterRestart);
	}

	private static long time(Flow flow) {
		return FlowQuery.nanos(flow.getTime());
	}

	private static long nanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

	private void startAgent() throws Exception {
		this.node = new ObservedNode(this.historyDirectory);
		this.node.start();
		this.channel = Grpc
			.newChannelBuilderForAddress("127.0.0.1", this.node.grpcPort(), InsecureChannelCredentials.create())
			.build();
	}

	private void stopAgent() throws Exception {
		if (this.channel != null) {
			this.channel.shutdownNow();
			this.channel = null;
		}
		if (this.node != null) {
			this.node.close();
			this.node = null;
		}
	}

	private List<Flow> flows(GetFlowsRequest request) {
		List<Flow> flows = new ArrayList<>();
		Iterator<GetFlowsResponse> responses = ObserverGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(WAIT)
			.getFlows(request);
		while (responses.hasNext()) {
			GetFlowsResponse response = responses.next();
			if (response.hasFlow()) {
				flows.add(response.getFlow());
			}
		}
		return flows;
	}

	private static Timestamp timestamp(Instant instant) {
		return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
	}

	static void await(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("not within " + WAIT + ": " + what);
			}
			Thread.sleep(50);
		}
	}

}
