package io.jcilium.bgp.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keepAliveTimeSeconds} on a real session: with a 90 s hold time (a third would be
 * 30 s) and a configured keepalive of 1 s, gobgpd counts about one KEEPALIVE a second
 * from us.
 */
class KeepaliveIT {

	private static final long OUR_AS = 65000;

	private static final long PEER_AS = 65001;

	private static final Duration WAIT = Duration.ofSeconds(90);

	@Test
	void theConfiguredKeepaliveIntervalIsWhatThePeerReceives() throws Exception {
		for (String executable : new String[] { "gobgpd", "gobgp" }) {
			Prerequisites.require(Prerequisites.onPath(executable),
					executable + " is not installed: run scripts/setup.sh");
		}
		try (NetnsLab lab = NetnsLab.create()) {
			GobgpPeer gobgp = new GobgpPeer(lab, PEER_AS, OUR_AS);
			gobgp.start();
			try (BgpSpeaker speaker = new BgpSpeaker(new SpeakerConfig(OUR_AS, lab.hostIpv4, lab.hostIpv4, 179, false),
					1)) {
				speaker.start();
				speaker.advertise(Map.of(Prefix.parse("10.79.0.0/24"), RouteAttributes.DEFAULT));
				speaker.addNeighbour(new NeighbourConfig(lab.peerIpv4, 179, PEER_AS, false, 90, 1,
						Set.of(AddressFamily.IPV4_UNICAST), 0, null, 0, null, 1));
				await(gobgp::established, "gobgpd established the session");
				long before = gobgp.keepalivesReceived();
				Instant from = Instant.now();
				Thread.sleep(6000);
				long received = gobgp.keepalivesReceived() - before;
				long seconds = Duration.between(from, Instant.now()).toSeconds();
				System.out.printf("gobgpd received %d KEEPALIVEs from us in %d s (keepAliveTimeSeconds 1, hold 90)%n",
						received, seconds);
				// one a second, give or take the moments the counts were read
				assertThat(received).isBetween(seconds - 2, seconds + 1);
			}
			finally {
				gobgp.stop();
			}
		}
	}

	private static void await(Callable<Boolean> condition, String what) throws Exception {
		Instant deadline = Instant.now().plus(WAIT);
		Exception last = null;
		while (Instant.now().isBefore(deadline)) {
			try {
				if (condition.call()) {
					return;
				}
			}
			catch (java.io.IOException ex) {
				last = ex; // the CLI not answering yet
			}
			Thread.sleep(200);
		}
		throw new AssertionError("gave up waiting for: " + what, last);
	}

}
