package io.jcilium.cli.config;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
 * {@code config} as a user runs it, against a local server answering
 * {@code /actuator/config} as the agent does (its AgentConfigEndpointTest covers the
 * agent's side): upstream's section headers and {@code %-34s: value} lines, and
 * {@code OPTION=VALUE} sent as a write.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigCommandsTest {

	private static final String CONFIG = """
			{"readWrite":{"Debug":"%s"},
			 "readOnly":{"jcilium.agent.hubble.ring-capacity":4095,"jcilium.agent.routing.mode":"tunnel",
			  "jcilium.agent.ipam.pools":["default","blue"],"jcilium.agent.node-name":null}}""";

	private final List<String> posted = new ArrayList<>();

	private HttpServer agent;

	private String debug = "Disabled";

	@BeforeEach
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/config", (exchange) -> {
			int status = 200;
			String text;
			if (exchange.getRequestMethod().equals("POST")) {
				String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				this.posted.add(request);
				if (request.contains("\"Debug\"")) {
					this.debug = request.contains("Enabled") ? "Enabled" : "Disabled";
					text = CONFIG.formatted(this.debug);
				}
				else {
					status = 400;
					text = "{\"message\":\"option 'Conntrack' cannot change while the agent runs; the one that can: Debug\"}";
				}
			}
			else {
				text = CONFIG.formatted(this.debug);
			}
			byte[] body = text.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.agent.start();
	}

	@AfterEach
	void stop() {
		this.agent.stop(0);
	}

	@Test
	void showsTheReadWriteOptionsUnderUpstreamsHeader(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "config")).isEqualTo(ExitCodes.OK);

		assertThat(output.getOut()).isEqualTo("""
				##### Read-write configurations #####
				Debug                             : Disabled
				""");
	}

	@Test
	void allShowsTheReadOnlyOptionsFirst(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "config", "-a")).isEqualTo(ExitCodes.OK);

		assertThat(output.getOut()).isEqualTo("""
				#### Read-only configurations ####
				jcilium.agent.hubble.ring-capacity: 4095
				jcilium.agent.routing.mode        : tunnel
				jcilium.agent.ipam.pools          : default,blue
				jcilium.agent.node-name           :\s
				##### Read-write configurations #####
				Debug                             : Disabled
				""");
	}

	@Test
	void optionEqualsValueIsSentAndTheNewStateShown(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "config", "Debug=Enabled")).isEqualTo(ExitCodes.OK);

		assertThat(this.posted).containsExactly("{\"option\":\"Debug\",\"value\":\"Enabled\"}");
		assertThat(output.getOut()).contains("Debug                             : Enabled");
	}

	@Test
	void anOptionTheAgentRefusesFailsInOneLineWithItsReason(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "config", "Conntrack=Enabled")).isEqualTo(ExitCodes.FAILURE);

		assertThat(output.getErr().strip()).endsWith("the one that can: Debug").doesNotContain("\n");
	}

	@Test
	void anArgumentWithoutEqualsIsAUsageError(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "config", "Debug")).isEqualTo(ExitCodes.USAGE);

		assertThat(output.getErr()).contains("'Debug' is not OPTION=VALUE");
		assertThat(this.posted).isEmpty();
	}

	private String agentUrl() {
		return "--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort();
	}

}
