package io.jcilium.bgp.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.PeerStatus;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.AddressFamily;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole bgp-service in lab mode: a file of upstream resources, no API server. A
 * second speaker of ours plays the router; it must receive the node's pod CIDRs, and
 * {@code /actuator/bgp} must show the session and what was advertised.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LabModeIT {

	private static final String SERVICE = "127.0.0.51";

	private static final String ROUTER = "127.0.0.52";

	private static BgpSpeaker router;

	private static Path labFile;

	@LocalServerPort
	int httpPort;

	@Autowired
	BgpSpeaker speaker;

	@DynamicPropertySource
	static void labFile(DynamicPropertyRegistry registry) throws Exception {
		router = new BgpSpeaker(
				new SpeakerConfig(65001, InetAddress.getByName(ROUTER), InetAddress.getByName(ROUTER), 0, false), 1);
		router.start();
		router.addNeighbour(new NeighbourConfig(InetAddress.getByName(SERVICE), 179, 65000, true, 90, 1,
				Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), 0, null));
		String example = Files.readString(Path.of("../examples/bgp/lab.yaml"));
		String lab = example.replace("192.0.2.2", ROUTER)
			.replace("192.0.2.1", SERVICE)
			.replace("localPort: 179", "localPort: 0")
			.replace("connectRetryTimeSeconds: 5", "connectRetryTimeSeconds: 1")
			.replace("    restartTimeSeconds: 120",
					"    restartTimeSeconds: 120\n  transport:\n    peerPort: " + router.listenPort());
		labFile = Files.createTempFile("bgp-lab", ".yaml");
		Files.writeString(labFile, lab);
		registry.add("bgp.lab-file", labFile::toString);
	}

	@AfterAll
	static void stopRouter() throws IOException {
		router.stop(true);
		Files.deleteIfExists(labFile);
	}

	@Test
	void theRouterLearnsThePodCidrsAndTheEndpointShowsTheSession() throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (!learnedBoth() && Instant.now().isBefore(deadline)) {
			Thread.sleep(50);
		}
		assertThat(learnedBoth()).as("router learned 10.244.1.0/24 and fd00:10:244:1::/64").isTrue();

		@SuppressWarnings("unchecked")
		Map<String, Object> view = RestClient.create("http://localhost:" + this.httpPort)
			.get()
			.uri("/actuator/bgp")
			.retrieve()
			.body(Map.class);
		assertThat(view).containsEntry("configured", true);
		assertThat(view.get("peers").toString()).contains("peerAddress=" + ROUTER, "sessionState=established",
				"ipv4_unicast=1", "ipv6_unicast=1");
		assertThat(view.get("advertised").toString()).contains("10.244.1.0/24", "fd00:10:244:1:0:0:0:0/64");
		assertThat(this.speaker.status().get(0).state()).isEqualTo(SessionState.ESTABLISHED);
	}

	@Test
	void theSessionAndItsRoutesAreMetrics() throws InterruptedException {
		String peer = "neighbor=\"" + ROUTER + "\",neighbor_asn=\"65001\"";
		String state = "jcilium_bgp_control_plane_session_state{" + peer + ",vrouter=\"65000\"} 1";
		String advertisedIpv4 = "jcilium_bgp_control_plane_total_advertised_routes{afi=\"ipv4\"," + peer
				+ ",safi=\"unicast\",vrouter=\"65000\"} 1";
		String receivedIpv6 = "jcilium_bgp_control_plane_total_received_routes{afi=\"ipv6\"," + peer
				+ ",safi=\"unicast\",vrouter=\"65000\"} 0";
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		String metrics = prometheus();
		while (!(metrics.contains(state) && metrics.contains(advertisedIpv4)) && Instant.now().isBefore(deadline)) {
			Thread.sleep(200);
			metrics = prometheus();
		}
		assertThat(metrics).contains(state, advertisedIpv4, receivedIpv6);
	}

	private String prometheus() {
		return RestClient.create("http://localhost:" + this.httpPort)
			.get()
			.uri("/actuator/prometheus")
			.retrieve()
			.body(String.class);
	}

	private static boolean learnedBoth() {
		PeerStatus status = router.status().get(0);
		return status.state() == SessionState.ESTABLISHED && status.received().get(AddressFamily.IPV4_UNICAST) == 1
				&& status.received().get(AddressFamily.IPV6_UNICAST) == 1;
	}

}
