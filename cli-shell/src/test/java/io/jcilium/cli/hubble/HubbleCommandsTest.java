package io.jcilium.cli.hubble;

import java.util.List;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.jcilium.api.hubble.flow.DropReason;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.LostEvent;
import io.jcilium.api.hubble.flow.LostEventSource;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.Namespace;
import io.jcilium.api.hubble.observer.Node;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.api.hubble.observer.TLS;
import io.jcilium.api.hubble.relay.NodeState;
import io.jcilium.cli.ExitCodes;
import io.jcilium.cli.Golden;
import io.jcilium.cli.TestConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hubble observe|status|list nodes} as a user runs them, against a real gRPC
 * Observer server serving given flows, nodes and status: upstream's output, the request
 * each flag makes, and one clear line with the right exit code when something is wrong.
 */
@ExtendWith(OutputCaptureExtension.class)
class HubbleCommandsTest {

	private TestObserver observer;

	@BeforeEach
	void start() throws Exception {
		List<GetFlowsResponse> responses = List.of(response(TestFlows.syn()), response(TestFlows.synAck()),
				GetFlowsResponse.newBuilder()
					.setNodeName("kind-worker")
					.setTime(TestFlows.time(200_000_000))
					.setLostEvents(
							LostEvent.newBuilder().setSource(LostEventSource.HUBBLE_RING_BUFFER).setNumEventsLost(42))
					.build(),
				response(TestFlows.policyDrop()));
		List<Node> nodes = List.of(
				Node.newBuilder()
					.setName("kind-worker")
					.setState(NodeState.NODE_CONNECTED)
					.setUptimeNs(1_000_000_000_000L)
					.setSeenFlows(250_000)
					.setNumFlows(500)
					.setMaxFlows(4095)
					.setTls(TLS.newBuilder())
					.build(),
				Node.newBuilder().setName("kind-control-plane").setState(NodeState.NODE_UNAVAILABLE).build());
		ServerStatusResponse status = ServerStatusResponse.newBuilder()
			.setNumFlows(8190)
			.setMaxFlows(8190)
			.setSeenFlows(1_234_567)
			.setUptimeNs(100_000_000_000L)
			.setNumConnectedNodes(UInt32Value.of(1))
			.setNumUnavailableNodes(UInt32Value.of(1))
			.addUnavailableNodes("kind-control-plane")
			.build();
		this.observer = new TestObserver(responses, nodes, status);
	}

	@AfterEach
	void stop() {
		this.observer.close();
	}

	@Test
	void observeAsksTheRelayForTheLast20FlowsAndPrintsThemCompact(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext("--jcilium.services.relay.grpc=" + this.observer.address(), "hubble",
				"observe");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(this.observer.requests).containsExactly(GetFlowsRequest.newBuilder().setNumber(20).build());
		assertThat(output.getOut()).isEqualTo(
				"""
						Dec  5 07:23:41.123: shop/frontend:43210 (ID:12345) -> shop/backend:8080 (ID:23456) to-endpoint FORWARDED (TCP Flags: SYN)
						Dec  5 07:23:41.124: shop/frontend:43210 (ID:12345) <- shop/backend:8080 (ID:23456) to-endpoint FORWARDED (TCP Flags: SYN, ACK)
						Dec  5 07:23:41.500: 203.0.113.9:5353 (world) <> shop/backend:53 (ID:23456) Policy denied DROPPED (UDP)
						""");
		assertThat(output.getErr()).contains("Dec  5 07:23:41.200 [kind-worker]: EVENTS LOST: HUBBLE_RING_BUFFER 42");
	}

	@Test
	void filterFlagsBecomeUpstreamsWhitelistFilters() {
		int exitCode = TestConsole.runPlaintext("hubble", "observe", "--server", this.observer.address(), "--pod",
				"shop/frontend", "--to-pod", "shop/backend", "--verdict", "dropped,forwarded", "--protocol", "TCP",
				"--drop-reason", "policy_denied", "--last", "5", "--follow");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		// As upstream's CLI: --pod is the source on one side and the destination on the
		// other; every other flag applies to both sides.
		assertThat(this.observer.requests).containsExactly(GetFlowsRequest.newBuilder()
			.setNumber(5)
			.setFollow(true)
			.addWhitelist(FlowFilter.newBuilder()
				.addSourcePod("shop/frontend")
				.addDestinationPod("shop/backend")
				.addVerdict(Verdict.DROPPED)
				.addVerdict(Verdict.FORWARDED)
				.addProtocol("tcp")
				.addDropReasonDesc(DropReason.POLICY_DENIED))
			.addWhitelist(FlowFilter.newBuilder()
				.addDestinationPod("shop/frontend")
				.addDestinationPod("shop/backend")
				.addVerdict(Verdict.DROPPED)
				.addVerdict(Verdict.FORWARDED)
				.addProtocol("tcp")
				.addDropReasonDesc(DropReason.POLICY_DENIED))
			.build());
	}

	@Test
	void eitherSideFlagsMatchSourceOrDestination() {
		TestConsole.runPlaintext("hubble", "observe", "--server", this.observer.address(), "--namespace", "shop",
				"--label", "app in (web,db)", "--port", "8080", "--identity", "12345", "--since",
				"2025-12-05T07:00:00Z");

		GetFlowsRequest request = this.observer.requests.get(0);
		assertThat(request.getNumber()).as("since instead of the last 20").isZero();
		assertThat(request.getSince().getSeconds()).isEqualTo(TestFlows.SECONDS - 23 * 60 - 41);
		assertThat(request.getWhitelistList()).containsExactly(
				FlowFilter.newBuilder()
					.addSourcePod("shop/")
					.addSourceLabel("app in (web,db)")
					.addSourcePort("8080")
					.addSourceIdentity(12345)
					.build(),
				FlowFilter.newBuilder()
					.addDestinationPod("shop/")
					.addDestinationLabel("app in (web,db)")
					.addDestinationPort("8080")
					.addDestinationIdentity(12345)
					.build());
	}

	@Test
	void jsonPrintsEachResponseAsUpstreamsJsonOnOneLine(CapturedOutput output) throws Exception {
		int exitCode = TestConsole.runPlaintext("hubble", "observe", "--server", this.observer.address(), "-o", "json");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		List<String> lines = output.getOut().lines().toList();
		assertThat(lines).hasSize(3);
		assertThat(lines.get(0))
			.startsWith("{\"flow\":{\"time\":\"2025-12-05T07:23:41.123Z\",\"verdict\":\"FORWARDED\"")
			.contains("\"node_name\":\"kind-worker\"", "\"is_reply\":false",
					"\"trace_observation_point\":\"TO_ENDPOINT\"")
			.endsWith("\"node_name\":\"kind-worker\",\"time\":\"2025-12-05T07:23:41.123Z\"}");
		GetFlowsResponse.Builder parsed = GetFlowsResponse.newBuilder();
		JsonFormat.parser().merge(lines.get(2), parsed);
		assertThat(parsed.build()).isEqualTo(response(TestFlows.policyDrop()));
	}

	@Test
	void followEndsCleanlyWhenTheStreamEnds(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext("hubble", "observe", "--server", this.observer.address(), "--follow");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(this.observer.requests).containsExactly(GetFlowsRequest.newBuilder().setFollow(true).build());
		assertThat(output.getOut().lines()).hasSize(3);
	}

	@Test
	void statusPrintsHealthFlowsAndNodes(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext("hubble", "status", "--server", this.observer.address());

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("Healthcheck (via " + this.observer.address() + "): Ok\n" + """
				Current/Max Flows: 8,190/8,190 (100.00%)
				Flows/s: 12345.67
				Connected Nodes: 1/2
				Unavailable Nodes: 1
				  - kind-control-plane
				""");
	}

	@Test
	void listNodesPrintsUpstreamsTableSortedByName(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext("hubble", "list", "nodes", "--server", this.observer.address());

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				NAME                 STATUS        AGE      FLOWS/S   CURRENT/MAX-FLOWS
				kind-control-plane   Unavailable   N/A      N/A       N/A
				kind-worker          Connected     16m40s   250.00    500/4095 ( 12.21%)
				""");
	}

	@Test
	void statusAndListNodesPrintJsonAndYamlForScripts(CapturedOutput output) {
		assertThat(TestConsole.runPlaintext("hubble", "status", "--server", this.observer.address(), "-o", "json"))
			.isEqualTo(ExitCodes.OK);
		assertThat(TestConsole.runPlaintext("hubble", "status", "--server", this.observer.address(), "-o", "yaml"))
			.isEqualTo(ExitCodes.OK);
		assertThat(
				TestConsole.runPlaintext("hubble", "list", "nodes", "--server", this.observer.address(), "-o", "json"))
			.isEqualTo(ExitCodes.OK);
		assertThat(
				TestConsole.runPlaintext("hubble", "list", "nodes", "--server", this.observer.address(), "-o", "yaml"))
			.isEqualTo(ExitCodes.OK);

		assertThat(output.getOut()).isEqualTo(Golden.read("hubble-status.json") + Golden.read("hubble-status.yaml")
				+ Golden.read("hubble-list-nodes.json") + Golden.read("hubble-list-nodes.yaml"));
	}

	@Test
	void listNamespacesPrintsUpstreamsTableWideAndJson(CapturedOutput output) {
		this.observer.namespaces = List.of(
				Namespace.newBuilder().setCluster("default").setNamespace("kube-system").build(),
				Namespace.newBuilder().setCluster("default").setNamespace("shop").build());

		assertThat(TestConsole.runPlaintext("hubble", "list", "namespaces", "--server", this.observer.address()))
			.isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				NAMESPACE
				kube-system
				shop
				""");

		assertThat(TestConsole.runPlaintext("hubble", "list", "namespaces", "--server", this.observer.address(), "-o",
				"wide"))
			.isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).endsWith("""
				NAMESPACE     CLUSTER
				kube-system   default
				shop          default
				""");

		assertThat(TestConsole.runPlaintext("hubble", "list", "namespaces", "--server", this.observer.address(), "-o",
				"json"))
			.isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).endsWith("""
				[
				  {
				    "cluster": "default",
				    "namespace": "kube-system"
				  },
				  {
				    "cluster": "default",
				    "namespace": "shop"
				  }
				]
				""");
	}

	@Test
	void listNamespacesWithNoneAndWithAFormatUpstreamDoesNotHave(CapturedOutput output) {
		assertThat(TestConsole.runPlaintext("hubble", "list", "namespaces", "--server", this.observer.address(), "-o",
				"json"))
			.isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("null\n");

		assertThat(TestConsole.runPlaintext("hubble", "list", "namespaces", "--server", this.observer.address(), "-o",
				"yaml"))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("--output 'yaml' is not one of json, table, wide");
	}

	@Test
	void badInputIsAUsageErrorInOneLine(CapturedOutput output) {
		assertThat(TestConsole.runPlaintext("hubble", "observe", "--server", this.observer.address(), "--verdict",
				"PASSED"))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("--verdict 'PASSED' is not one of FORWARDED, DROPPED");
		assertThat(this.observer.requests).isEmpty();

		this.observer.refusal = Status.INVALID_ARGUMENT
			.withDescription("whitelist[0].source_label: invalid label selector 'app=(': unbalanced parentheses");
		assertThat(
				TestConsole.runPlaintext("hubble", "observe", "--server", this.observer.address(), "--label", "app=("))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("refused the request: whitelist[0].source_label: invalid label selector");
	}

	@Test
	void anUnreachableServerFailsInOneLine(CapturedOutput output) {
		String address = this.observer.address();
		this.observer.close();

		assertThat(TestConsole.runPlaintext("hubble", "status", "--server", address)).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr()).contains("hubble server " + address + ": cannot reach it");
	}

	private static GetFlowsResponse response(io.jcilium.api.hubble.flow.Flow flow) {
		return GetFlowsResponse.newBuilder().setNodeName("kind-worker").setTime(flow.getTime()).setFlow(flow).build();
	}

}
