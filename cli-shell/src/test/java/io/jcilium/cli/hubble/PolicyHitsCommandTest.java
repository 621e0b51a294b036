package io.jcilium.cli.hubble;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
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
 * {@code hubble policy hits} as a user runs it, against a local server answering with the
 * agent's policy hits (the agent's RuleHitsTest pins how they are counted).
 */
@ExtendWith(OutputCaptureExtension.class)
class PolicyHitsCommandTest {

	private static final String HITS = """
			[{"kind":"CiliumClusterwideNetworkPolicy","namespace":"","name":"lock-out-attacker","inForce":true,
			  "ingressForwarded":0,"ingressDropped":4,"egressForwarded":0,"egressDropped":0,
			  "ingressForwardedBytes":0,"ingressDroppedBytes":296,"egressForwardedBytes":0,"egressDroppedBytes":0},
			 {"kind":"CiliumNetworkPolicy","namespace":"shop","name":"web","inForce":true,
			  "ingressForwarded":12,"ingressDropped":0,"egressForwarded":3,"egressDropped":0,
			  "ingressForwardedBytes":1048576,"ingressDroppedBytes":0,"egressForwardedBytes":4000,"egressDroppedBytes":0},
			 {"kind":"CiliumNetworkPolicy","namespace":"shop","name":"long-lived","inForce":true,
			  "ingressForwarded":0,"ingressDropped":0,"egressForwarded":0,"egressDropped":0,
			  "ingressForwardedBytes":0,"ingressDroppedBytes":0,"egressForwardedBytes":700,"egressDroppedBytes":0},
			 {"kind":"NetworkPolicy","namespace":"shop","name":"never-used","inForce":true,
			  "ingressForwarded":0,"ingressDropped":0,"egressForwarded":0,"egressDropped":0,
			  "ingressForwardedBytes":0,"ingressDroppedBytes":0,"egressForwardedBytes":0,"egressDroppedBytes":0},
			 {"kind":"NetworkPolicy","namespace":"shop","name":"old","inForce":false,
			  "ingressForwarded":2,"ingressDropped":0,"egressForwarded":0,"egressDropped":0,
			  "ingressForwardedBytes":120,"ingressDroppedBytes":0,"egressForwardedBytes":0,"egressDroppedBytes":0}]""";

	private HttpServer agent;

	@BeforeEach
	void startAgent() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/policyhits", (exchange) -> {
			byte[] bytes = HITS.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
		this.agent.start();
	}

	@AfterEach
	void stopAgent() {
		this.agent.stop(0);
	}

	@Test
	void printsEveryPolicyWithItsHitsAndBytesAndMarksTheUnusedAndRemovedOnes(CapturedOutput output) {
		int exitCode = TestConsole.run(
				"--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort(), "hubble",
				"policy", "hits");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).containsPattern(
				"KIND +NAMESPACE +NAME +INGRESS FORWARDED +INGRESS DROPPED +EGRESS FORWARDED +EGRESS DROPPED +BYTES +STATE")
			.containsPattern("CiliumClusterwideNetworkPolicy +- +lock-out-attacker +0 +4 +0 +0 +296 +used")
			.containsPattern("CiliumNetworkPolicy +shop +web +12 +0 +3 +0 +1052576 +used")
			.containsPattern("NetworkPolicy +shop +never-used +0 +0 +0 +0 +0 +unused")
			.containsPattern("NetworkPolicy +shop +old +2 +0 +0 +0 +120 +removed");
		// a connection older than the agent moves bytes without a verdict: the policy
		// works
		assertThat(output.getOut()).containsPattern("CiliumNetworkPolicy +shop +long-lived +0 +0 +0 +0 +700 +used");
	}

	@Test
	void jsonAndYamlPrintTheAgentsRowsForScripts(CapturedOutput output) {
		String agent = "--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort();
		assertThat(TestConsole.run(agent, "hubble", "policy", "hits", "-o", "json")).isEqualTo(ExitCodes.OK);
		assertThat(TestConsole.run(agent, "hubble", "policy", "hits", "-o", "yaml")).isEqualTo(ExitCodes.OK);

		assertThat(output.getOut())
			.isEqualTo(Golden.read("hubble-policy-hits.json") + Golden.read("hubble-policy-hits.yaml"));
	}

	@Test
	void withoutAnAgentItSaysSoOnOneLine(CapturedOutput output) throws IOException {
		int port = this.agent.getAddress().getPort();
		this.agent.stop(0);

		int exitCode = TestConsole.run("--jcilium.services.agent.url=http://127.0.0.1:" + port, "hubble", "policy",
				"hits");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr()).contains("agent unreachable at http://127.0.0.1:" + port + "/actuator/policyhits");
	}

}
