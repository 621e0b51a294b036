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
import io.jcilium.cli.identity.TestIdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bpf policy get} as a user runs it, against a local server answering with the
 * agent's endpoint policy view (the agent's own test pins that JSON's shape) and a gRPC
 * identity-service for the peers' labels.
 */
@ExtendWith(OutputCaptureExtension.class)
class EndpointPolicyCommandTest {

	// The agent's view of a datapath map: ingress from the host (any port), from web's
	// identity 12345 (TCP 8080-8083, through a proxy), from an identity identity-service
	// does not know (UDP, any port); egress denied to any peer on UDP 53.
	private static final String VIEW = """
			{"endpointId":7,"pod":"shop/web-0","identity":1000,"ingressEnforced":true,"egressEnforced":false,
			 "source":"datapath","entries":[
			  {"verdict":"allow","direction":"ingress","peer":1,"protocol":"ANY","ports":"ANY","proxyPort":0,
			   "prefix":0,"packets":4,"bytes":296,
			   "derivedFrom":[["reserved:io.cilium.policy.derived-from=allow-localhost-ingress"]]},
			  {"verdict":"allow","direction":"ingress","peer":12345,"protocol":"TCP","ports":"8080-8083",
			   "proxyPort":15001,"prefix":22,"packets":12,"bytes":3400,
			   "derivedFrom":[["k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy",
			                   "k8s:io.cilium.k8s.policy.name=web","k8s:io.cilium.k8s.policy.namespace=shop"]]},
			  {"verdict":"allow","direction":"ingress","peer":77777,"protocol":"UDP","ports":"ANY","proxyPort":0,
			   "prefix":8,"packets":null,"bytes":null,"derivedFrom":[]},
			  {"verdict":"deny","direction":"egress","peer":0,"protocol":"UDP","ports":"53","proxyPort":0,
			   "prefix":24,"packets":3,"bytes":180,"derivedFrom":[]}]}""";

	private final TestIdentityService identities;

	EndpointPolicyCommandTest() throws IOException {
		this.identities = new TestIdentityService();
	}

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
		this.identities.close();
	}

	@Test
	void printsUpstreamsColumnsWithThePeersLabelsFromIdentityService(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(agentUrl(), this.identities.property(), "bpf", "policy", "get", "7");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("bpf-policy-get-7.txt"));
	}

	@Test
	void withoutIdentityServiceThePeersStayNumbers(CapturedOutput output) {
		this.identities.close();

		int exitCode = TestConsole.runPlaintext(agentUrl(), this.identities.property(), "bpf", "policy", "get", "7");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).containsPattern("Allow +Ingress +1 +ANY +NONE +296 +4 +0\n")
			.containsPattern("Allow +Ingress +12345 +8080-8083/TCP +15001 +3400 +12 +22\n")
			.containsPattern("Deny +Egress +ANY +53/UDP +NONE +180 +3 +24\n");
	}

	@Test
	void jsonAndYamlPrintTheAgentsViewForScripts(CapturedOutput output) {
		int json = TestConsole.runPlaintext(agentUrl(), this.identities.property(), "bpf", "policy", "get", "7", "-o",
				"json");
		int yaml = TestConsole.runPlaintext(agentUrl(), this.identities.property(), "bpf", "policy", "get", "7", "-o",
				"yaml");

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
