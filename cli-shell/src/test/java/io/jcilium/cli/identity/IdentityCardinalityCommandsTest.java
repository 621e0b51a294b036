package io.jcilium.cli.identity;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import io.jcilium.cli.ExitCodes;
import io.jcilium.cli.TestConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code identity cardinality} against a local server answering
 * {@code GET /actuator/identitycardinality} with the agent's JSON (the agent's
 * IdentityCardinalityTest computes the findings from real label sets).
 */
@ExtendWith(OutputCaptureExtension.class)
class IdentityCardinalityCommandsTest {

	private static final String FINDINGS = """
			{"threshold":64,"findings":[{"namespace":"shop","label":"k8s:request-id","values":70,"identities":70,
			  "examples":["r-0","r-1","r-10"],"exclusion":"k8s:!request-id$"}]}""";

	private HttpServer agent;

	private String body = FINDINGS;

	@BeforeEach
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/identitycardinality", (exchange) -> {
			byte[] bytes = this.body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
		this.agent.start();
	}

	@AfterEach
	void stop() {
		this.agent.stop(0);
	}

	@Test
	void eachFindingIsARowWithThePatternThatLeavesTheLabelOut(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "identity", "cardinality")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				NAMESPACE   LABEL            VALUES   IDENTITIES   EXAMPLES       EXCLUDE WITH
				shop        k8s:request-id   70       70           r-0,r-1,r-10   k8s:!request-id$
				""");
	}

	@Test
	void noFindingSaysSoWithTheThreshold(CapturedOutput output) {
		this.body = "{\"threshold\":64,\"findings\":[]}";
		assertThat(TestConsole.run(agentUrl(), "identity", "cardinality")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut())
			.isEqualTo("No label makes identities multiply (threshold: 64 distinct values in a namespace)\n");
	}

	@Test
	void jsonIsTheAgentsAnswer(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "identity", "cardinality", "-o", "json")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).contains("\"exclusion\": \"k8s:!request-id$\"").contains("\"threshold\": 64");
	}

	private String agentUrl() {
		return "--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort();
	}

}
