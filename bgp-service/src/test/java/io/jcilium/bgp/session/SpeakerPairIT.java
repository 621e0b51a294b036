package io.jcilium.bgp.session;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.jcilium.bgp.session.MalformedMessagesIT.address;
import static io.jcilium.bgp.session.MalformedMessagesIT.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two of our speakers on loopback, both opening actively, so every start is a connection
 * collision (RFC 4271 section 6.8) that must leave exactly one session; over it, IPv4 and
 * IPv6 routes, their withdrawal, and a shutdown communication (RFC 8203).
 */
class SpeakerPairIT {

	private static final InetAddress A = address("127.0.0.31");

	private static final InetAddress B = address("127.0.0.32");

	private BgpSpeaker a;

	private BgpSpeaker b;

	@AfterEach
	void stop() {
		for (BgpSpeaker speaker : new BgpSpeaker[] { this.a, this.b }) {
			if (speaker != null) {
				speaker.stop(true);
			}
		}
	}

	@Test
	void collidingActiveOpensEndInOneSessionThatCarriesRoutesAndWithdrawals() throws Exception {
		this.a = new BgpSpeaker(new SpeakerConfig(65010, A, A, 0, false), 1);
		this.b = new BgpSpeaker(new SpeakerConfig(4200000011L, B, B, 0, false), 1);
		this.a.start();
		this.b.start();
		Map<Prefix, RouteAttributes> routes = new HashMap<>();
		routes.put(Prefix.parse("10.30.0.0/24"), RouteAttributes.DEFAULT);
		routes.put(Prefix.parse("10.30.1.0/24"), RouteAttributes.DEFAULT);
		routes.put(Prefix.parse("2001:db8:30::/64"), RouteAttributes.DEFAULT);
		this.a.advertise(routes);
		Set<AddressFamily> both = Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST);
		this.a.addNeighbour(new NeighbourConfig(B, this.b.listenPort(), 4200000011L, false, 9, 1, both, 0, null));
		this.b.addNeighbour(new NeighbourConfig(A, this.a.listenPort(), 65010, false, 9, 1, both, 0, null));

		// A publishes its session's status after sending the routes: B may hold them
		// first.
		await(() -> received(this.b, AddressFamily.IPV4_UNICAST) == 2
				&& received(this.b, AddressFamily.IPV6_UNICAST) == 1
				&& this.a.status().get(0).advertised().getOrDefault(AddressFamily.IPV4_UNICAST, 0) == 2,
				"B received A's 2 IPv4 and 1 IPv6 routes");
		assertThat(this.a.status().get(0).state()).isEqualTo(SessionState.ESTABLISHED);
		assertThat(this.a.status().get(0).advertised()).containsEntry(AddressFamily.IPV4_UNICAST, 2);

		routes.remove(Prefix.parse("10.30.1.0/24"));
		routes.remove(Prefix.parse("2001:db8:30::/64"));
		this.a.advertise(routes);
		await(() -> received(this.b, AddressFamily.IPV4_UNICAST) == 1
				&& received(this.b, AddressFamily.IPV6_UNICAST) == 0, "B saw the withdrawals");

		this.a.stop(true);
		this.a = null;
		await(() -> this.b.status().get(0).state() != SessionState.ESTABLISHED
				&& this.b.status().get(0).lastError().contains("bgp-service is shutting down"),
				"B saw A's shutdown communication");
		assertThat(this.b.status().get(0).received()).containsEntry(AddressFamily.IPV4_UNICAST, 0);
	}

	private static int received(BgpSpeaker speaker, AddressFamily family) {
		PeerStatus status = speaker.status().get(0);
		return (status.state() == SessionState.ESTABLISHED) ? status.received().get(family) : -1;
	}

}
