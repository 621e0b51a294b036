package io.jcilium.cli.endpoint;

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
 * {@code bpf policy get} as a user runs it, against a local server answering with the
 * agent's endpoint policy view (the agent's own test pins that JSON's shape).
 */
@ExtendWith(OutputCaptureExtension.class)
class EndpointPolicyCommandTest {

	private static final String VIEW = """
			{"endpointId":7,"pod":"shop/web-0","identity":1000,"ingressEnforced":true,"egressEnforced":false,
			 "entries":[
			  {"verdict":"allow","direction":"ingress","peer":1,"protocol":"ANY","ports":"ANY",
			   "derivedFrom":[["reserved:io.cilium.policy.derived-from=allow-localhost-ingress"]]},
			  {"verdict":"allow","direction":"ingress","peer":1001,"protocol":"TCP","ports":"8080-8083",
			   "derivedFrom":[["k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy",
			                   "k8s:io.cilium.k8s.policy.name=web","k8s:io.cilium.k8s.policy.namespace=shop"],
			                  ["k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy",
			                   "k8s:io.cilium.k8s.policy.name=web-legacy","k8s:io.cilium.k8s.policy.namespace=shop"]]}]}""";

	private HttpServer agent;

	@BeforeEach
	void startAgent() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		answer("/actuator/endpointpolicy/7", 200, VIEW);
		answer("/actuator/endpointpolicy/9", 404, "{\"message\":\"no endpoint 9 on this node\"}");
		this.agent.start();
	}

	@AfterEach
	void stopAgent() {
		this.agent.stop(0);
	}

	@Test
	void printsOneRowPerEntryAndRuleWithTheRulesLabels(CapturedOutput output) {
		int exitCode = TestConsole.run(agentUrl(), "bpf", "policy", "get", "7");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut())
			.contains("Endpoint 7 (pod shop/web-0, identity 1000): ingress enforced, egress not enforced")
			.containsPattern("POLICY +DIRECTION +PEER +PORT/PROTO +DERIVED FROM")
			.containsPattern(
					"Allow +Ingress +1 +ANY/ANY +reserved:io.cilium.policy.derived-from=allow-localhost-ingress")
			.containsPattern(
					"Allow +Ingress +1001 +8080-8083/TCP +k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy "
							+ "k8s:io.cilium.k8s.policy.name=web k8s:io.cilium.k8s.policy.namespace=shop\n")
			// The second rule deriving the same entry on a row of its own.
			.containsPattern("\n +k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy "
					+ "k8s:io.cilium.k8s.policy.name=web-legacy k8s:io.cilium.k8s.policy.namespace=shop\n");
	}

	@Test
	void jsonAndYamlPrintTheAgentsViewForScripts(CapturedOutput output) {
		int json = TestConsole.run(agentUrl(), "bpf", "policy", "get", "7", "-o", "json");
		int yaml = TestConsole.run(agentUrl(), "bpf", "policy", "get", "7", "-o", "yaml");

		assertThat(json).isEqualTo(ExitCodes.OK);
		assertThat(yaml).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut())
			.isEqualTo(Golden.read("bpf-policy-get-7.json") + Golden.read("bpf-policy-get-7.yaml"));
	}

	@Test
	void anEndpointTheAgentDoesNotHaveFailsWithTheAgentsReason(CapturedOutput output) {
		int exitCode = TestConsole.run(agentUrl(), "bpf", "policy", "get", "9");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr()).contains("no endpoint 9 on this node");
	}

	@Test
	void anEndpointIdThatIsNoNumberIsAUsageError(CapturedOutput output) {
		int exitCode = TestConsole.run(agentUrl(), "bpf", "policy", "get", "web");

		assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("ENDPOINT_ID must be a positive endpoint number, not 'web'");
	}

	private String agentUrl() {
		return "--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort();
	}

	private void answer(String path, int status, String body) {
		this.agent.createContext(path, (exchange) -> {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
	}

}
