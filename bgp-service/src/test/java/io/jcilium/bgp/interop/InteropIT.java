package io.jcilium.bgp.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our speaker against real BGP implementations from Debian, each in its own network
 * namespace: the session comes up, the peer learns our IPv4 and IPv6 routes and our
 * withdrawals (checked with the peer's own CLI), and the session and routes come back
 * after the peer restarts.
 */
class InteropIT {

	private static final long OUR_AS = 65000;

	private static final long PEER_AS = 65001;

	private static final Duration WAIT = Duration.ofSeconds(90);

	static Stream<Arguments> peers() {
		return Stream.of(peer("BIRD 2", (lab) -> new BirdPeer(lab, PEER_AS, OUR_AS)),
				peer("gobgpd", (lab) -> new GobgpPeer(lab, PEER_AS, OUR_AS)),
				peer("FRR bgpd", (lab) -> new FrrPeer(lab, PEER_AS, OUR_AS)));
	}

	private static Arguments peer(String name, Function<NetnsLab, PeerDaemon> daemon) {
		return Arguments.of(name, daemon);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("peers")
	void aRealPeerLearnsOurRoutesAndWithdrawalsAndComesBackAfterARestart(String name,
			Function<NetnsLab, PeerDaemon> daemonOf) throws Exception {
		try (NetnsLab lab = NetnsLab.create()) {
			PeerDaemon peer = daemonOf.apply(lab);
			requireInstalled(peer, name);
			peer.start();
			BgpSpeaker speaker = new BgpSpeaker(new SpeakerConfig(OUR_AS, lab.hostIpv4, lab.hostIpv4, 179, false), 1);
			try {
				speaker.start();
				Map<Prefix, RouteAttributes> routes = new HashMap<>();
				for (String prefix : new String[] { "10.77.0.0/24", "10.77.1.0/24", "fd00:77:1::/64",
						"fd00:77:2::/64" }) {
					routes.put(Prefix.parse(prefix), RouteAttributes.DEFAULT);
				}
				speaker.advertise(routes);
				speaker.addNeighbour(new NeighbourConfig(lab.peerIpv4, 179, PEER_AS, false, 30, 1,
						Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), 120, null));
				await(() -> peer.learned().equals(routes.keySet()), name + " learned " + routes.keySet(), peer);

				routes.remove(Prefix.parse("10.77.1.0/24"));
				routes.remove(Prefix.parse("fd00:77:2::/64"));
				speaker.advertise(routes);
				await(() -> peer.learned().equals(routes.keySet()), name + " saw the withdrawals", peer);

				peer.stop();
				await(() -> speaker.status().get(0).state() != SessionState.ESTABLISHED, "our side saw " + name + " go",
						peer);
				peer.start();
				// Our side publishes the session's status after sending the routes.
				await(() -> peer.established() && peer.learned().equals(routes.keySet())
						&& speaker.status().get(0).state() == SessionState.ESTABLISHED,
						name + " relearned " + routes.keySet() + " after its restart", peer);
				assertThat(speaker.status().get(0).state()).isEqualTo(SessionState.ESTABLISHED);
			}
			finally {
				speaker.stop(true);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("peers")
	void gracefulRestartKeepsOurRoutesAtThePeerWhileWeRestart(String name, Function<NetnsLab, PeerDaemon> daemonOf)
			throws Exception {
		try (NetnsLab lab = NetnsLab.create()) {
			PeerDaemon peer = daemonOf.apply(lab);
			requireInstalled(peer, name);
			peer.start();
			Map<Prefix, RouteAttributes> routes = new HashMap<>();
			for (String prefix : new String[] { "10.78.0.0/24", "fd00:78:1::/64" }) {
				routes.put(Prefix.parse(prefix), RouteAttributes.DEFAULT);
			}
			BgpSpeaker before = speaker(lab, routes, false);
			try {
				await(() -> peer.learned().equals(routes.keySet()), name + " learned " + routes.keySet(), peer);
			}
			finally {
				// A crash as the peer sees it: the connection drops without a
				// NOTIFICATION.
				before.stop(false);
			}
			await(() -> !peer.established(), name + " saw the session go", peer);
			for (int check = 0; check < 10; check++) {
				assertThat(peer.learned()).as(name + " keeps our routes while we are away").isEqualTo(routes.keySet());
				Thread.sleep(200);
			}
			BgpSpeaker after = speaker(lab, routes, true);
			try {
				await(() -> peer.established() && after.status().get(0).state() == SessionState.ESTABLISHED,
						"the session with " + name + " is back", peer);
				assertThat(peer.learned()).isEqualTo(routes.keySet());
			}
			finally {
				// A NOTIFICATION ends graceful restart (RFC 4724 section 4.2): the routes
				// must go.
				after.stop(true);
			}
			await(() -> peer.learned().isEmpty(), name + " dropped our routes after a Cease", peer);
		}
	}

	private static BgpSpeaker speaker(NetnsLab lab, Map<Prefix, RouteAttributes> routes, boolean restarting)
			throws InterruptedException {
		BgpSpeaker speaker = new BgpSpeaker(new SpeakerConfig(OUR_AS, lab.hostIpv4, lab.hostIpv4, 179, restarting), 1);
		speaker.start();
		speaker.advertise(routes);
		speaker.addNeighbour(new NeighbourConfig(lab.peerIpv4, 179, PEER_AS, false, 30, 1,
				Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), 120, null));
		return speaker;
	}

	private static void requireInstalled(PeerDaemon peer, String name) {
		for (String executable : peer.executables()) {
			boolean present = executable.startsWith("/") ? Files.isExecutable(Path.of(executable))
					: Prerequisites.onPath(executable);
			Prerequisites.require(present, executable + " (" + name + ") is not installed: run scripts/setup.sh");
		}
	}

	private static void await(Callable<Boolean> condition, String what, PeerDaemon peer) throws Exception {
		Instant deadline = Instant.now().plus(WAIT);
		Exception last = null;
		while (Instant.now().isBefore(deadline)) {
			try {
				if (condition.call()) {
					return;
				}
			}
			catch (java.io.IOException ex) {
				// the daemon's CLI is not up yet
				last = ex;
			}
			Thread.sleep(200);
		}
		String learned;
		try {
			learned = String.valueOf(peer.learned());
		}
		catch (java.io.IOException ex) {
			learned = "(CLI failed: " + ex.getMessage() + ")";
		}
		throw new AssertionError("gave up waiting for: " + what + "; the peer holds " + learned, last);
	}

}
