package io.jcilium.cli.bpf;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jcilium.cli.ExitCodes;
import io.jcilium.cli.TestConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code bpf} commands as a user runs them, against a local server answering
 * {@code GET /actuator/bpf/{map}} with the agent's JSON (the agent's DatapathLifecycleIT
 * reads that JSON from real maps).
 */
@ExtendWith(OutputCaptureExtension.class)
class BpfCommandsTest {

	private static final Map<String, String> MAPS = Map.of("ipcache", """
			[{"prefix":"10.0.0.0/8","identity":2,"tunnelEndpoint":"0.0.0.0","flags":0},
			 {"prefix":"10.0.1.0/24","identity":6,"tunnelEndpoint":"192.168.56.12","flags":0},
			 {"prefix":"10.0.1.7/32","identity":48861,"tunnelEndpoint":"192.168.56.12","flags":0}]""", "endpoint", """
			[{"address":"10.0.0.5","id":12,"identity":18965,"flags":0,"ifindex":31,
			  "mac":"02:00:00:00:00:05","nodeMac":"02:00:00:00:00:01"}]""", "ct", """
			[{"protocol":"TCP","direction":"OUT","source":"10.0.0.5:40000","destination":"10.0.1.7:80",
			  "endpointId":12,"expiresInSeconds":21590,"packets":3,"bytes":180,"rxPackets":2,"rxBytes":120,
			  "sourceIdentity":18965,"flags":0},
			 {"protocol":"UDP","direction":"IN","source":"10.0.1.7:5353","destination":"10.0.0.6:53",
			  "endpointId":13,"expiresInSeconds":50,"packets":1,"bytes":60,"rxPackets":0,"rxBytes":0,
			  "sourceIdentity":48861,"flags":0}]""", "metrics", """
			[{"reason":0,"description":"Forwarded","direction":"EGRESS","packets":120,"bytes":9000},
			 {"reason":133,"description":"Policy denied","direction":"INGRESS","packets":4,"bytes":240}]""");

	private HttpServer agent;

	@BeforeEach
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/bpf/", (exchange) -> {
			String map = exchange.getRequestURI().getPath().substring("/actuator/bpf/".length());
			if (MAPS.containsKey(map)) {
				answer(exchange, 200, MAPS.get(map));
			}
			else {
				answer(exchange, 404, "{\"message\":\"no map '" + map + "'\"}");
			}
		});
		this.agent.start();
	}

	@AfterEach
	void stop() {
		this.agent.stop(0);
	}

	@Test
	void ipcacheListPrintsEachPrefixWithUpstreamsFields(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "bpf", "ipcache", "list")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				IP PREFIX/ADDRESS   IDENTITY
				10.0.0.0/8          identity=2 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>
				10.0.1.0/24         identity=6 encryptkey=0 tunnelendpoint=192.168.56.12 flags=<none>
				10.0.1.7/32         identity=48861 encryptkey=0 tunnelendpoint=192.168.56.12 flags=<none>
				""");
	}

	@Test
	void ipcacheGetFindsTheLongestPrefixAndAMissFailsInOneLine(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "bpf", "ipcache", "get", "10.0.1.7")).isEqualTo(ExitCodes.OK);
		assertThat(TestConsole.run(agentUrl(), "bpf", "ipcache", "get", "10.0.1.9")).isEqualTo(ExitCodes.OK);
		assertThat(TestConsole.run(agentUrl(), "bpf", "ipcache", "get", "10.9.9.9")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				10.0.1.7 maps to identity identity=48861 encryptkey=0 tunnelendpoint=192.168.56.12 flags=<none>
				10.0.1.9 maps to identity identity=6 encryptkey=0 tunnelendpoint=192.168.56.12 flags=<none>
				10.9.9.9 maps to identity identity=2 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>
				""");

		assertThat(TestConsole.run(agentUrl(), "bpf", "ipcache", "get", "192.0.2.1")).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr()).isEqualTo("192.0.2.1 does not map to any identity\n");
		assertThat(TestConsole.run(agentUrl(), "bpf", "ipcache", "get", "web")).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("IP must be an IPv4 or IPv6 address, not 'web'");
	}

	@Test
	void endpointListShowsEachLocalEndpointsInfo(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "bpf", "endpoint", "list")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				IP ADDRESS   LOCAL ENDPOINT INFO
				10.0.0.5:0   id=12 sec_id=18965 flags=0x0000 ifindex=31 mac=02:00:00:00:00:05 nodemac=02:00:00:00:00:01
				""");
	}

	@Test
	void ctListPrintsOneLinePerConnectionAndFiltersByEndpoint(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "bpf", "ct", "list", "endpoint", "12")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("TCP OUT 10.0.0.5:40000 -> 10.0.1.7:80 expires=21590s Packets=3 "
				+ "Bytes=180 RxPackets=2 RxBytes=120 Flags=0x0000 SourceSecurityID=18965 EndpointID=12\n");

		assertThat(TestConsole.run(agentUrl(), "bpf", "ct", "list", "global", "-o", "json")).isEqualTo(ExitCodes.OK);
		assertThat(JsonMapper.shared().readTree(output.getOut().substring(output.getOut().indexOf('\n') + 1)))
			.isEqualTo(JsonMapper.shared().readTree(MAPS.get("ct")));

		assertThat(TestConsole.run(agentUrl(), "bpf", "ct", "list", "endpoint", "x")).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("needs a positive endpoint id");
	}

	@Test
	void metricsListNamesEachReasonAndDirection(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "bpf", "metrics", "list")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				REASON          DIRECTION   PACKETS   BYTES
				Forwarded       EGRESS      120       9000
				Policy denied   INGRESS     4         240
				""");
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
