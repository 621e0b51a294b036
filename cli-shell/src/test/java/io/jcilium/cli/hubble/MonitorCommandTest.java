package io.jcilium.cli.hubble;

import java.util.List;

import io.grpc.Status;
import io.jcilium.api.hubble.flow.EventTypeFilter;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.NetworkInterface;
import io.jcilium.api.hubble.flow.TraceReason;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
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
 * {@code monitor} as a user runs it against a real gRPC Observer server (the agent's
 * Observer API contract): upstream's cilium-dbg monitor lines for a trace, a drop and a
 * policy verdict; {@code --type} sent as an event type filter; bad types refused.
 */
@ExtendWith(OutputCaptureExtension.class)
class MonitorCommandTest {

	private TestObserver agent;

	@BeforeEach
	void start() throws Exception {
		List<GetFlowsResponse> events = List.of(
				response(
						TestFlows.syn()
							.toBuilder()
							.setTraceReason(TraceReason.NEW)
							.setInterface(NetworkInterface.newBuilder().setIndex(31))
							.build()),
				response(TestFlows.synAck().toBuilder().setTraceReason(TraceReason.REPLY).build()),
				response(TestFlows.policyDrop()
					.toBuilder()
					.setInterface(NetworkInterface.newBuilder().setIndex(31).setName("lxc1234"))
					.build()),
				response(TestFlows.verdict()), response(TestFlows.echo()));
		this.agent = new TestObserver(events, List.of(), ServerStatusResponse.getDefaultInstance());
	}

	@AfterEach
	void stop() {
		this.agent.close();
	}

	@Test
	void printsEachEventAsUpstreamsMonitorDoes(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(agentProperty(), "monitor");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut())
			.isEqualTo("Listening for events on " + this.agent.address() + ". Press Ctrl-C to quit\n"
					+ "-> endpoint 7 flow 0x0 , identity 12345->23456 state new ifindex 31 orig-ip 0.0.0.0: "
					+ "10.0.1.5:43210 -> 10.0.2.7:8080 tcp SYN\n"
					+ "-> endpoint 12 flow 0x0 , identity 23456->12345 state reply ifindex 0 orig-ip 0.0.0.0: "
					+ "10.0.2.7:8080 -> 10.0.1.5:43210 tcp SYN, ACK\n"
					+ "xx drop (Policy denied) flow 0x0 to endpoint 7, ifindex lxc1234, file -:0, , identity 2->23456: "
					+ "203.0.113.9:5353 -> 10.0.2.7:53 udp\n"
					+ "Policy verdict log: flow 0x0 local EP ID 7, remote ID 12345, proto 6, ingress, action allow, "
					+ "auth: disabled, match L3-L4, 10.0.1.5:43210 -> 10.0.2.7:8080 tcp SYN\n"
					+ "-> stack flow 0x0 , identity 12345->23456 state unknown ifindex 0 orig-ip 0.0.0.0: "
					+ "10.0.1.5 -> 10.0.2.7 EchoRequest\n");
		assertThat(this.agent.requests).containsExactly(GetFlowsRequest.newBuilder().setFollow(true).build());
	}

	@Test
	void jsonAndYamlPrintEachEventForScripts(CapturedOutput output) {
		assertThat(TestConsole.runPlaintext(agentProperty(), "monitor", "-o", "json")).isEqualTo(ExitCodes.OK);
		assertThat(TestConsole.runPlaintext(agentProperty(), "monitor", "-o", "yaml")).isEqualTo(ExitCodes.OK);

		assertThat(output.getOut()).isEqualTo(Golden.read("monitor.jsonl") + Golden.read("monitor.yaml"));
	}

	@Test
	void typeFiltersOnTheAgentByEventType(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(agentProperty(), "monitor", "--type", "drop,policy-verdict");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(this.agent.requests).containsExactly(GetFlowsRequest.newBuilder()
			.setFollow(true)
			.addWhitelist(FlowFilter.newBuilder()
				.addEventType(EventTypeFilter.newBuilder().setType(1))
				.addEventType(EventTypeFilter.newBuilder().setType(5)))
			.build());
	}

	@Test
	void anEventTypeTheDatapathDoesNotReportIsAUsageError(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(agentProperty(), "monitor", "--type", "l7");

		assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr())
			.contains("--type 'l7' is not an event type the datapath reports: use one of drop, trace, policy-verdict");
		assertThat(this.agent.requests).isEmpty();
	}

	@Test
	void anUnreachableAgentFailsInOneLine(CapturedOutput output) {
		this.agent.refusal = Status.UNAVAILABLE.withDescription("connection refused");

		int exitCode = TestConsole.runPlaintext(agentProperty(), "monitor");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr().strip()).startsWith("hubble server " + this.agent.address() + ": cannot reach it")
			.doesNotContain("\n");
	}

	private String agentProperty() {
		return "--jcilium.services.agent.grpc=" + this.agent.address();
	}

	private static GetFlowsResponse response(io.jcilium.api.hubble.flow.Flow flow) {
		return GetFlowsResponse.newBuilder().setFlow(flow).setNodeName("kind-worker").setTime(flow.getTime()).build();
	}

}
