package io.jcilium.bgp.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.bgp.fsm.SessionState;
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
 * The session's socket options on real packets, against BIRD in a network namespace: TCP
 * MD5 (RFC 2385) with the password BIRD has brings the session up, a wrong one is refused
 * by BIRD's kernel (its {@code TCPMD5Failure} count grows, the session never comes up);
 * the TTL asked for is the TTL of our SYN as tcpdump sees it arrive.
 */
class TcpMd5IT {

	private static final long OUR_AS = 65000;

	private static final long PEER_AS = 65001;

	private static final Duration WAIT = Duration.ofSeconds(90);

	private static final Prefix ROUTE = Prefix.parse("10.79.0.0/24");

	@Test
	void theRightPasswordBringsTheSessionUpAndAWrongOneIsDroppedByThePeersKernel() throws Exception {
		requireInstalled("bird", "birdc", "nstat");
		try (NetnsLab lab = NetnsLab.create()) {
			BirdPeer bird = new BirdPeer(lab, PEER_AS, OUR_AS, "s3cret-Key");
			bird.start();
			try (BgpSpeaker wrong = speaker(lab, "not-the-key", 0)) {
				long before = md5Failures(lab);
				await(() -> md5Failures(lab) > before, "BIRD's kernel rejected segments signed with the wrong key");
				assertThat(bird.established()).isFalse();
				assertThat(wrong.status().get(0).state()).isNotEqualTo(SessionState.ESTABLISHED);
			}
			try (BgpSpeaker right = speaker(lab, "s3cret-Key", 0)) {
				// Our side publishes the session's status after sending the route.
				await(() -> bird.established() && bird.learned().equals(Set.of(ROUTE))
						&& right.status().get(0).state() == SessionState.ESTABLISHED,
						"BIRD established the signed session and learned " + ROUTE);
				assertThat(right.status().get(0).state()).isEqualTo(SessionState.ESTABLISHED);
			}
		}
	}

	@Test
	void ourSegmentsCarryTheTtlAskedFor() throws Exception {
		requireInstalled("bird", "birdc", "tcpdump");
		try (NetnsLab lab = NetnsLab.create()) {
			Path capture = lab.directory.resolve("syn.txt");
			lab.start(capture, "tcpdump", "-n", "-v", "-l", "-i", "eth0", "-c", "1",
					"tcp dst port 179 and tcp[tcpflags] & tcp-syn != 0 and src host " + lab.hostIpv4.getHostAddress());
			// tcpdump says when it listens; a SYN before that would be missed.
			await(() -> Files.readString(capture).contains("listening on"), "tcpdump listening");
			BirdPeer bird = new BirdPeer(lab, PEER_AS, OUR_AS);
			bird.start();
			try (BgpSpeaker speaker = speaker(lab, null, 7)) {
				await(() -> Files.readString(capture).contains("ttl "), "our SYN captured");
				Matcher ttl = Pattern.compile("ttl (\\d+)").matcher(Files.readString(capture));
				assertThat(ttl.find()).isTrue();
				assertThat(ttl.group(1)).as("our SYN's TTL in: " + Files.readString(capture)).isEqualTo("7");
				await(() -> bird.established(), "the session is up with TTL 7");
			}
		}
	}

	private static BgpSpeaker speaker(NetnsLab lab, String password, int ttl) throws InterruptedException {
		BgpSpeaker speaker = new BgpSpeaker(new SpeakerConfig(OUR_AS, lab.hostIpv4, lab.hostIpv4, 179, false), 1);
		speaker.start();
		speaker.advertise(Map.of(ROUTE, RouteAttributes.DEFAULT));
		speaker.addNeighbour(new NeighbourConfig(lab.peerIpv4, 179, PEER_AS, false, 30, 1,
				Set.of(AddressFamily.IPV4_UNICAST), 0, null, ttl, password));
		return speaker;
	}

	/**
	 * {@code TcpExtTCPMD5Failure} in the peer's namespace: segments with a bad signature.
	 */
	private static long md5Failures(NetnsLab lab) throws Exception {
		Matcher matcher = Pattern.compile("TcpExtTCPMD5Failure\\s+(\\d+)")
			.matcher(lab.runInside("nstat", "-a", "-z", "-s", "TcpExtTCPMD5Failure"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	private static void requireInstalled(String... executables) {
		for (String executable : executables) {
			Prerequisites.require(Prerequisites.onPath(executable),
					executable + " is not installed: run scripts/setup.sh");
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
				last = ex; // a CLI not answering yet
			}
			Thread.sleep(200);
		}
		throw new AssertionError("gave up waiting for: " + what, last);
	}

}
