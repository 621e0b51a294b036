package io.jcilium.cli.node;

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
 * {@code node list} as a user runs it, against a local server answering
 * {@code GET /actuator/nodes} with the agent's JSON (the agent's NodeListEndpointIT
 * builds those rows from CiliumNodes on an API server).
 */
@ExtendWith(OutputCaptureExtension.class)
class NodeCommandsTest {

	private static final String NODES = """
			[{"name":"default/node-1","nodeName":"node-1","local":true,"ipv4Address":"192.168.56.11",
			  "ipv4AllocCidr":"10.0.1.0/24","ipv6Address":null,"ipv6AllocCidr":null,
			  "addresses":[{"type":"InternalIP","ip":"192.168.56.11"},{"type":"CiliumInternalIP","ip":"10.0.1.1"}],
			  "podCidrs":["10.0.1.0/24"]},
			 {"name":"default/node-2","nodeName":"node-2","local":false,"ipv4Address":"192.168.56.12",
			  "ipv4AllocCidr":"10.0.2.0/24","ipv6Address":"fd00:56::12","ipv6AllocCidr":"fd00:10:2::/64",
			  "addresses":[{"type":"InternalIP","ip":"192.168.56.12"},{"type":"InternalIP","ip":"fd00:56::12"}],
			  "podCidrs":["10.0.2.0/24","fd00:10:2::/64"]},
			 {"name":"default/node-4","nodeName":"node-4","local":false,"ipv4Address":"192.168.56.14",
			  "ipv4AllocCidr":"10.30.4.0/26","ipv6Address":"fd00:56::14","ipv6AllocCidr":"fd00:20::400/120",
			  "addresses":[{"type":"InternalIP","ip":"192.168.56.14"},{"type":"InternalIP","ip":"fd00:56::14"}],
			  "podCidrs":[],"poolBlocks":[{"pool":"blue","cidr":"10.30.4.0/26"},
			  {"pool":"default","cidr":"fd00:20::400/120"},{"pool":"default","cidr":"10.20.4.0/24"}]}]""";

	private HttpServer agent;

	private int status = 200;

	@BeforeEach
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/nodes", (exchange) -> {
			byte[] body = ((this.status == 200) ? NODES : "{\"error\":\"Not Found\"}").getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(this.status, body.length);
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

	/**
	 * Upstream's columns, an empty cell for a missing family, and a multi-pool node (no
	 * pod CIDRs) with its first pool block of each family as the endpoint CIDR, as the
	 * agent's {@code /actuator/nodes} gives it (golden: {@code golden/node-list.txt}).
	 */
	@Test
	void listPrintsUpstreamsColumnsWithEmptyCellsForAMissingFamily(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "node", "list")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("node-list.txt"));
	}

	@Test
	void jsonCarriesEveryAddressAndWhichNodeIsLocal(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "node", "list", "-o", "json")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).startsWith("[\n  {\n    \"name\": \"default/node-1\",")
			.contains("\"local\": true")
			.contains("\"type\": \"CiliumInternalIP\"")
			.contains("\"ipv6AllocCidr\": \"fd00:10:2::/64\"");
	}

	@Test
	void anAgentWithoutTheNodeListFailsInOneLine(CapturedOutput output) {
		this.status = 404;

		assertThat(TestConsole.run(agentUrl(), "node", "list")).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr().strip()).contains("/actuator/nodes").doesNotContain("\n");
		assertThat(output.getOut()).isEmpty();
	}

	@Test
	void anUnreachableAgentFailsInOneLine(CapturedOutput output) {
		String url = agentUrl();
		this.agent.stop(0);

		assertThat(TestConsole.run(url, "node", "list")).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr().strip()).startsWith("agent unreachable at").doesNotContain("\n");
	}

	private String agentUrl() {
		return "--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort();
	}

}
