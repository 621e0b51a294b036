package io.jcilium.bgp.nodeconfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.session.PeerStatus;
import io.jcilium.bgp.wire.AddressFamily;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node config status in upstream's shape, from the speaker's peers: state names as
 * upstream writes them, route counts per negotiated family, and an established time that
 * stays put while the session does.
 */
class NodeConfigStatusTest {

	private static final KubernetesSerialization JSON = new KubernetesSerialization();

	private static final CiliumBGPNodeConfig CONFIG = JSON.unmarshal("""
			apiVersion: cilium.io/v2
			kind: CiliumBGPNodeConfig
			metadata: {name: worker-1}
			spec:
			  bgpInstances:
			  - name: instance-65000
			    localASN: 65000
			    peers:
			    - {name: tor1, peerASN: 65100, peerAddress: 10.0.0.1}
			    - {name: tor2, peerASN: 65200, peerAddress: "fd00:0:0::2"}
			    - {name: left-out, peerASN: 0, peerAddress: 10.0.0.3}
			""", CiliumBGPNodeConfig.class);

	private static final Instant NOW = Instant.parse("2026-12-06T06:00:00.700Z");

	@Test
	void eachRunningPeerGetsItsStateAndItsRouteCounts() {
		PeerStatus tor1 = new PeerStatus("10.0.0.1", 65000, 65100, SessionState.ESTABLISHED, Duration.ofSeconds(90),
				Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), Map.of(AddressFamily.IPV4_UNICAST, 3),
				Map.of(AddressFamily.IPV4_UNICAST, 2, AddressFamily.IPV6_UNICAST, 1), "");
		PeerStatus tor2 = new PeerStatus("fd00:0:0:0:0:0:0:2", 65000, 65200, SessionState.OPEN_SENT, Duration.ZERO,
				Set.of(), Map.of(), Map.of(), "");

		CiliumBGPNodeConfig.Status status = new NodeConfigStatus().of(CONFIG, List.of(tor1, tor2), NOW);

		assertThat(JSON.asJson(status)).isEqualTo("""
				{"bgpInstances":[{"name":"instance-65000","localASN":65000,"peers":[\
				{"name":"tor1","peerAddress":"10.0.0.1","peerASN":65100,"peeringState":"established",\
				"establishedTime":"2026-12-06T05:58:30Z","routeCount":[\
				{"afi":"ipv4","safi":"unicast","received":3,"advertised":2},\
				{"afi":"ipv6","safi":"unicast","received":0,"advertised":1}]},\
				{"name":"tor2","peerAddress":"fd00:0:0::2","peerASN":65200,"peeringState":"opensent"}]}]}""");
	}

	@Test
	void theEstablishedTimeStaysWhileTheSessionDoesAndMovesWhenItResets() {
		NodeConfigStatus statuses = new NodeConfigStatus();
		String first = establishedTime(statuses, NOW, Duration.ofSeconds(90));
		assertThat(establishedTime(statuses, NOW.plusMillis(5400), Duration.ofMillis(95_000)))
			.as("5.4 s later, 5 s more uptime: the same session")
			.isEqualTo(first);
		assertThat(establishedTime(statuses, NOW.plusSeconds(10), Duration.ofSeconds(1)))
			.as("a session that came up again")
			.isEqualTo("2026-12-06T06:00:09Z");
	}

	@Test
	void upstreamsStateNames() {
		assertThat(List.of(SessionState.values()).stream().map(NodeConfigStatus::state)).containsExactly("idle",
				"connect", "active", "opensent", "openconfirm", "established");
	}

	private static String establishedTime(NodeConfigStatus statuses, Instant now, Duration uptime) {
		PeerStatus tor1 = new PeerStatus("10.0.0.1", 65000, 65100, SessionState.ESTABLISHED, uptime,
				Set.of(AddressFamily.IPV4_UNICAST), Map.of(), Map.of(), "");
		return statuses.of(CONFIG, List.of(tor1), now).bgpInstances.get(0).peers.get(0).establishedTime;
	}

}
