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
 * RFC 6793 towards a 2-octet ("OLD") speaker, against BIRD with {@code enable as4 off}:
 * our 4-octet AS travels as AS_TRANS in AS_PATH and for real in AS4_PATH, and BIRD, which
 * rebuilds the path from the two (section 4.2.3), shows our real AS as the route's path;
 * without AS4_PATH it would show 23456.
 */
class As4PathIT {

	private static final long OUR_AS = 4_200_000_001L;

	private static final long PEER_AS = 65010;

	private static final int AS_TRANS = 23456;

	private static final Duration WAIT = Duration.ofSeconds(90);

	private static final Prefix ROUTE = Prefix.parse("10.78.0.0/24");

	@Test
	void aTwoOctetPeerRebuildsOurFourOctetAsFromAs4Path() throws Exception {
		for (String executable : new String[] { "bird", "birdc" }) {
			Prerequisites.require(Prerequisites.onPath(executable),
					executable + " is not installed: run scripts/setup.sh");
		}
		try (NetnsLab lab = NetnsLab.create()) {
			// A 2-octet BIRD cannot be told a 4-octet neighbour AS, and refuses AS_TRANS
			// as
			// "Bad peer AS" once it reads our AS from the capability it otherwise
			// ignores: it takes any external AS.
			BirdPeer bird = new BirdPeer(lab, PEER_AS, BirdPeer.ANY_EXTERNAL_AS, null, "enable as4 off;");
			bird.start();
			try (BgpSpeaker speaker = new BgpSpeaker(new SpeakerConfig(OUR_AS, lab.hostIpv4, lab.hostIpv4, 179, false),
					1)) {
				speaker.start();
				speaker.advertise(Map.of(ROUTE, RouteAttributes.DEFAULT));
				speaker.addNeighbour(new NeighbourConfig(lab.peerIpv4, 179, PEER_AS, false, 30, 1,
						Set.of(AddressFamily.IPV4_UNICAST), 0, null));
				await(() -> bird.established() && bird.learned().equals(Set.of(ROUTE)), "BIRD learned " + ROUTE);
				String protocol = bird.birdc("show", "protocols", "all", "jcilium");
				assertThat(protocol).as("BIRD runs a 2-octet session: " + protocol)
					.doesNotContainPattern("Session:.*AS4");
				String route = bird.birdc("show", "route", "all", "protocol", "jcilium");
				assertThat(route).as("the path BIRD rebuilt from AS_PATH and AS4_PATH: " + route)
					.containsPattern("BGP\\.as_path: " + OUR_AS + "\\s")
					.doesNotContain(String.valueOf(AS_TRANS));
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
				last = ex; // birdc not answering yet
			}
			Thread.sleep(200);
		}
		throw new AssertionError("gave up waiting for: " + what, last);
	}

}
