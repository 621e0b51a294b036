package io.jcilium.cli.bgp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
 * {@code bgp peers} and {@code bgp routes advertised} as a user runs them, against a
 * local server answering {@code GET /actuator/bgp} with bgp-service's JSON (its
 * BgpEndpoint's shape); the tables compared whole with golden files.
 */
@ExtendWith(OutputCaptureExtension.class)
class BgpCommandsTest {

	// An established neighbour with both families, one still trying to connect, one in
	// OpenSent over IPv6; routes of both families (65000:100 is 4259840100).
	private static final String VIEW = """
			{"node":"worker-1","configured":true,"peers":[
			 {"peerAddress":"10.0.0.2","localAsn":65001,"peerAsn":65000,"sessionState":"active","uptimeSeconds":0,
			  "received":{},"advertised":{},"lastError":"connection refused"},
			 {"peerAddress":"10.0.0.1","localAsn":65001,"peerAsn":65000,"sessionState":"established",
			  "uptimeSeconds":3723,"received":{"ipv4_unicast":4,"ipv6_unicast":0},
			  "advertised":{"ipv4_unicast":3,"ipv6_unicast":1},"lastError":""},
			 {"peerAddress":"fd00::3","localAsn":65001,"peerAsn":65010,"sessionState":"open-sent","uptimeSeconds":0,
			  "received":{"ipv6_unicast":0},"advertised":{},"lastError":""}],
			 "advertised":[
			 {"prefix":"172.16.0.100/32","family":"ipv4_unicast","communities":[4259840100],"localPreference":null},
			 {"prefix":"10.244.0.0/24","family":"ipv4_unicast","communities":[],"localPreference":200},
			 {"prefix":"9.9.9.0/24","family":"ipv4_unicast","communities":[],"localPreference":null},
			 {"prefix":"fd00:10:244::/64","family":"ipv6_unicast","communities":[],"localPreference":null}]}""";

	// Two established neighbours, each with its own advertisement selection.
	private static final String PER_PEER_VIEW = """
			{"node":"worker-1","configured":true,"peers":[
			 {"peerAddress":"10.0.0.1","localAsn":65001,"peerAsn":65000,"sessionState":"established",
			  "uptimeSeconds":5,"received":{},"advertised":{"ipv4_unicast":2},"lastError":""},
			 {"peerAddress":"10.0.0.5","localAsn":65001,"peerAsn":65200,"sessionState":"established",
			  "uptimeSeconds":5,"received":{},"advertised":{"ipv4_unicast":1},"lastError":""}],
			 "advertised":[
			 {"prefix":"172.16.0.100/32","family":"ipv4_unicast","communities":[],"localPreference":null,
			  "peers":["10.0.0.1"]},
			 {"prefix":"10.244.0.0/24","family":"ipv4_unicast","communities":[],"localPreference":null,
			  "peers":["10.0.0.1","10.0.0.5"]}]}""";

	private volatile String view = VIEW;

	private HttpServer bgp;

	@BeforeEach
	void start() throws IOException {
		this.bgp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.bgp.createContext("/actuator/bgp", (exchange) -> answer(exchange, 200, this.view));
		this.bgp.start();
	}

	@AfterEach
	void stop() {
		this.bgp.stop(0);
	}

	@Test
	void bgpPeersPrintsUpstreamsColumnsOneRowPerFamily(CapturedOutput output) {
		assertThat(TestConsole.run(bgpUrl(), "bgp", "peers")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("bgp-peers.txt"));
		assertThat(output.getErr()).isEmpty();
	}

	@Test
	void bgpPeersAsJsonCarriesEachNeighbourWithItsNodeAndLastError(CapturedOutput output) {
		assertThat(TestConsole.run(bgpUrl(), "bgp", "peers", "-o", "json")).isEqualTo(ExitCodes.OK);
		JsonNode peers = JsonMapper.shared().readTree(output.getOut());
		assertThat(peers).hasSize(3);
		assertThat(peers.get(0).path("node").asString()).isEqualTo("worker-1");
		assertThat(peers.get(0).path("peerAddress").asString()).isEqualTo("10.0.0.1");
		assertThat(peers.get(1).path("lastError").asString()).isEqualTo("connection refused");
	}

	@Test
	void routesAdvertisedPrintsEachRouteOfTheFamilyPerEstablishedNeighbour(CapturedOutput output) {
		assertThat(TestConsole.run(bgpUrl(), "bgp", "routes", "advertised", "ipv4", "unicast")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("bgp-routes-advertised-ipv4-unicast.txt"));
	}

	@Test
	void routesAdvertisedAsJsonAndIpv6(CapturedOutput output) {
		assertThat(TestConsole.run(bgpUrl(), "bgp", "routes", "advertised", "ipv6", "unicast", "-o", "json"))
			.isEqualTo(ExitCodes.OK);
		JsonNode routes = JsonMapper.shared().readTree(output.getOut());
		assertThat(routes).hasSize(1);
		assertThat(routes.get(0).path("peer").asString()).isEqualTo("10.0.0.1");
		assertThat(routes.get(0).path("prefix").asString()).isEqualTo("fd00:10:244::/64");
	}

	@Test
	void routesAdvertisedShowsEachNeighbourOnlyTheRoutesSentToIt(CapturedOutput output) {
		this.view = PER_PEER_VIEW;
		assertThat(TestConsole.run(bgpUrl(), "bgp", "routes", "advertised", "ipv4", "unicast", "-o", "json"))
			.isEqualTo(ExitCodes.OK);
		JsonNode routes = JsonMapper.shared().readTree(output.getOut());
		List<String> rows = new ArrayList<>();
		routes.forEach((route) -> rows.add(route.path("peer").asString() + " " + route.path("prefix").asString()));
		assertThat(rows).containsExactly("10.0.0.1 10.244.0.0/24", "10.0.0.1 172.16.0.100/32",
				"10.0.0.5 10.244.0.0/24");
	}

	@Test
	void anUnknownFamilyIsAUsageError(CapturedOutput output) {
		assertThat(TestConsole.run(bgpUrl(), "bgp", "routes", "advertised", "ipv4", "multicast"))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("AFI SAFI must be 'ipv4 unicast' or 'ipv6 unicast'")
			.contains("not 'ipv4 multicast'");
	}

	@Test
	void anUnreachableBgpServiceFailsInOneLineNamingIt(CapturedOutput output) {
		this.bgp.stop(0);
		assertThat(TestConsole.run(bgpUrl(), "bgp", "peers")).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr()).startsWith("bgp unreachable at http://127.0.0.1:").contains("'status bgp' checks");
	}

	private static void answer(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private String bgpUrl() {
		return "--jcilium.services.bgp.url=http://127.0.0.1:" + this.bgp.getAddress().getPort();
	}

}
