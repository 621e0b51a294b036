package io.jcilium.cli.service;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jcilium.cli.ExitCodes;
import io.jcilium.cli.Golden;
import io.jcilium.cli.TestConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code service list|get} and {@code bpf lb list} as a user runs them, against a local
 * server answering {@code GET /actuator/service} with the agent's JSON (the agent's
 * ServiceEndpointTest pins that shape); the tables compared whole with golden files.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServiceCommandsTest {

	private static final String WEB_1 = """
			{"slot":1,"backendId":1,"address":"10.0.1.1","port":8080,"protocol":"TCP","state":"active"}""";

	private static final String WEB_2 = """
			{"slot":2,"backendId":2,"address":"10.0.1.2","port":8080,"protocol":"TCP","state":"active"}""";

	// A ClusterIP with affinity, a NodePort with externalTrafficPolicy Local and its
	// in-cluster scope, an IPv6 ClusterIP, and a service with no backends.
	private static final String ENTRIES = "[" + String.join(",",
			"""
					{"id":1,"service":"shop/web","frontend":"10.96.0.10:80/TCP","scope":"external","type":"ClusterIP",
					 "flags":["sessionAffinity","non-routable"],"affinityTimeoutSeconds":600,"backends":[%s,%s]}"""
				.formatted(WEB_1, WEB_2),
			"""
					{"id":2,"service":"shop/web","frontend":"192.168.1.5:30080/TCP","scope":"external","type":"NodePort",
					 "flags":["Local","two-scopes"],"affinityTimeoutSeconds":0,"backends":[%s]}"""
				.formatted(WEB_2.replace("\"slot\":2", "\"slot\":1")),
			"""
					{"id":2,"service":"shop/web","frontend":"192.168.1.5:30080/TCP","scope":"internal","type":"NodePort",
					 "flags":[],"affinityTimeoutSeconds":0,"backends":[%s,%s]}"""
				.formatted(WEB_1, WEB_2),
			"""
					{"id":3,"service":"kube-system/dns","frontend":"[fd00:96::a]:53/UDP","scope":"external",
					 "type":"ClusterIP","flags":["non-routable"],"affinityTimeoutSeconds":0,"backends":[
					 {"slot":1,"backendId":3,"address":"fd00:1::5","port":53,"protocol":"UDP","state":"active"}]}""",
			"""
					{"id":4,"service":"shop/empty","frontend":"10.96.0.20:80/TCP","scope":"external",
					 "type":"ClusterIP","flags":["non-routable"],"affinityTimeoutSeconds":0,"backends":[]}""") + "]";

	private HttpServer agent;

	@BeforeEach
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/service", (exchange) -> {
			String path = exchange.getRequestURI().getPath();
			if (path.equals("/actuator/service")) {
				answer(exchange, 200, ENTRIES);
			}
			else if (path.equals("/actuator/service/2")) {
				JsonNode all = JsonMapper.shared().readTree(ENTRIES);
				answer(exchange, 200, "[" + all.get(1) + "," + all.get(2) + "]");
			}
			else {
				answer(exchange, 404, "{\"message\":\"no service with ID " + path.substring(path.lastIndexOf('/') + 1)
						+ " on this node; 'service list' shows the IDs\"}");
			}
		});
		this.agent.start();
	}

	@AfterEach
	void stop() {
		this.agent.stop(0);
	}

	@Test
	void serviceListPrintsUpstreamsColumnsWithOneBackendPerLine(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "service", "list")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("service-list.txt"));
		assertThat(output.getErr()).isEmpty();
	}

	@Test
	void serviceListAsJsonCarriesEveryFieldTheAgentGave(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "service", "list", "-o", "json")).isEqualTo(ExitCodes.OK);
		assertThat(JsonMapper.shared().readTree(output.getOut())).isEqualTo(JsonMapper.shared().readTree(ENTRIES));
	}

	@Test
	void serviceGetPrintsTheEntriesOfOneIdAndAnUnknownIdFailsInOneLine(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "service", "get", "2")).isEqualTo(ExitCodes.OK);
		String[] lines = Golden.read("service-list.txt").split("\n");
		assertThat(output.getOut()).isEqualTo(String.join("\n", lines[0], lines[3], lines[4], lines[5]) + "\n");

		assertThat(TestConsole.run(agentUrl(), "service", "get", "9")).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr()).isEqualTo("agent at http://127.0.0.1:" + this.agent.getAddress().getPort()
				+ ": no service with ID 9 on this node; 'service list' shows the IDs\n");
	}

	@Test
	void aBadServiceIdIsAUsageError(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "service", "get", "web")).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("ID must be a service ID 1..65535 ('service list' shows them), not 'web'");
	}

	@Test
	void bpfLbListPrintsEachMasterWithItsFlagsAndEachSlotWithItsBackend(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "bpf", "lb", "list")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("bpf-lb-list.txt"));
	}

	private static void answer(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private String agentUrl() {
		return "--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort();
	}

}
