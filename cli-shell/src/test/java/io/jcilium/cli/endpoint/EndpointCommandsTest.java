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
 * {@code endpoint list|get} as a user runs them, against a local server answering
 * {@code GET /actuator/endpointpolicy} with the agent's JSON (the agent's
 * EndpointPolicyEndpointTest pins that shape) and a gRPC server behind identity.v1 for
 * the labels; the output compared whole with golden files.
 */
@ExtendWith(OutputCaptureExtension.class)
class EndpointCommandsTest {

	// As the agent writes EndpointEnforcement records: one ready endpoint enforcing
	// ingress, one enforcing nothing, one still waiting for its identity.
	private static final String ENDPOINTS = """
			[{"endpointId":7,"containerId":"c7","podNamespace":"shop","podName":"web-0","ipv4":"10.0.1.7",
			  "identity":12345,"state":"ready","stateReason":null,"ingressEnforced":true,"egressEnforced":false},
			 {"endpointId":12,"containerId":"c12","podNamespace":"shop","podName":"db-0","ipv4":"10.0.1.12",
			  "identity":23456,"state":"ready","stateReason":null,"ingressEnforced":false,"egressEnforced":false},
			 {"endpointId":31,"containerId":"c31","podNamespace":"shop","podName":"web-1","ipv4":"10.0.1.31",
			  "identity":0,"state":"waiting-for-identity","stateReason":"identity-service not answering",
			  "ingressEnforced":null,"egressEnforced":null}]""";

	private HttpServer agent;

	private TestIdentityService identities;

	@BeforeEach
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/endpointpolicy", (exchange) -> {
			byte[] bytes = ENDPOINTS.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
		this.agent.start();
		this.identities = new TestIdentityService();
	}

	@AfterEach
	void stop() {
		this.agent.stop(0);
		this.identities.close();
	}

	@Test
	void listPrintsUpstreamsColumnsWithTheIdentitiesLabels(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(agentUrl(), this.identities.property(), "endpoint", "list");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("endpoint-list.txt"));
		assertThat(output.getErr()).isEmpty();
	}

	@Test
	void listAsJsonCarriesTheAgentsFieldsAndTheLabels(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(agentUrl(), this.identities.property(), "endpoint", "list", "-o",
				"json");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("endpoint-list.json"));
	}

	@Test
	void getPrintsOneEndpointAsJsonOrYaml(CapturedOutput output) {
		assertThat(TestConsole.runPlaintext(agentUrl(), this.identities.property(), "endpoint", "get", "12"))
			.isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("endpoint-get-12.json"));

		assertThat(
				TestConsole.runPlaintext(agentUrl(), this.identities.property(), "endpoint", "get", "12", "-o", "yaml"))
			.isEqualTo(ExitCodes.OK);
		assertThat(output.getOut())
			.isEqualTo(Golden.read("endpoint-get-12.json") + Golden.read("endpoint-get-12.yaml"));
	}

	@Test
	void anUnknownEndpointFailsInOneLine(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(agentUrl(), this.identities.property(), "endpoint", "get", "99");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr()).isEqualTo("endpoint 99 not found on the agent at http://127.0.0.1:"
				+ this.agent.getAddress().getPort() + "; 'endpoint list' shows them\n");
		assertThat(output.getOut()).isEmpty();
	}

	@Test
	void withoutIdentityServiceTheEndpointsStillPrintAndTheCommandFailsSayingWhy(CapturedOutput output) {
		this.identities.close();

		int exitCode = TestConsole.runPlaintext(agentUrl(), this.identities.property(), "endpoint", "list");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getOut()).containsPattern("\n7 +Enabled +Disabled +12345 +10.0.1.7 +ready\n");
		assertThat(output.getErr().strip()).startsWith("labels not shown: identity-service at 127.0.0.1:")
			.contains("cannot reach it")
			.doesNotContain("\n");
	}

	@Test
	void anUnreachableAgentFailsInOneLineWithoutAStackTrace(CapturedOutput output) {
		this.agent.stop(0);

		int exitCode = TestConsole.runPlaintext(agentUrl(), this.identities.property(), "endpoint", "list");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr().strip()).startsWith("agent unreachable at http://127.0.0.1:")
			.doesNotContain("\n")
			.doesNotContain("\tat ");
		assertThat(output.getOut()).isEmpty();
	}

	@Test
	void aBadEndpointIdIsAUsageError(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(agentUrl(), this.identities.property(), "endpoint", "get", "web");

		assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("ENDPOINT_ID must be a positive endpoint number, not 'web'");
	}

	private String agentUrl() {
		return "--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort();
	}

}
