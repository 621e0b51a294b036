package io.jcilium.bgp.reconcile;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.PeerStatus;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reconciled speaker with two real BGP neighbours (two more of our speakers on
 * loopback, each with its own address): a change to one neighbour's settings resets that
 * session only, a route change reaches the other without a reset, each neighbour gets its
 * own selection of routes, and a removed neighbour is told it was de-configured.
 */
class SpeakerReconcilerIT {

	private static final InetAddress SPEAKER = address("127.0.0.41");

	private static final InetAddress B = address("127.0.0.42");

	private static final InetAddress C = address("127.0.0.43");

	private static final Set<AddressFamily> IPV4 = Set.of(AddressFamily.IPV4_UNICAST);

	private final SpeakerReconciler reconciler = new SpeakerReconciler((config) -> new BgpSpeaker(config, 1));

	private BgpSpeaker b;

	private BgpSpeaker c;

	@BeforeEach
	void startNeighbours() throws InterruptedException {
		this.b = new BgpSpeaker(new SpeakerConfig(65002, B, B, 0, false), 1);
		this.c = new BgpSpeaker(new SpeakerConfig(65003, C, C, 0, false), 1);
		this.b.start();
		this.c.start();
	}

	@AfterEach
	void stop() {
		this.reconciler.close();
		this.b.stop(true);
		this.c.stop(true);
	}

	@Test
	void onlyTheChangedNeighbourIsResetAndRoutesChangeWithoutAReset() throws Exception {
		Map<Prefix, RouteAttributes> routes = Map.of(Prefix.parse("10.41.0.0/24"), RouteAttributes.DEFAULT);
		SpeakerConfig speaker = new SpeakerConfig(65001, SPEAKER, SPEAKER, 0, false);
		SpeakerReconciler.Changes first = this.reconciler
			.apply(new SpeakerPlan(speaker, List.of(toB(90), toC()), routes));
		assertThat(first.added()).containsExactlyInAnyOrder("127.0.0.42", "127.0.0.43");
		int port = this.reconciler.speaker().listenPort();
		this.b.addNeighbour(new NeighbourConfig(SPEAKER, port, 65001, false, 90, 1, IPV4, 0, null));
		// C does not retry within the test, so the NOTIFICATION that ends its session
		// stays its last error.
		this.c.addNeighbour(new NeighbourConfig(SPEAKER, port, 65001, false, 90, 600, IPV4, 0, null));
		await(() -> received(this.b) == 1 && received(this.c) == 1, "B and C received the first route");
		long bothUp = System.nanoTime();

		SpeakerReconciler.Changes second = this.reconciler
			.apply(new SpeakerPlan(speaker, List.of(toB(30), toC()), routes));

		assertThat(second).isEqualTo(new SpeakerReconciler.Changes(false, List.of(), List.of(), List.of("127.0.0.42")));
		await(() -> received(this.b) == 1 && upSince(this.b) > bothUp, "B's session was reset and came back");
		assertThat(this.reconciler.apply(new SpeakerPlan(speaker, List.of(toB(30), toC()), routes)).isEmpty())
			.as("the same plan again changes nothing")
			.isTrue();

		this.reconciler.apply(new SpeakerPlan(speaker, List.of(toB(30), toC()), Map.of(Prefix.parse("10.41.0.0/24"),
				RouteAttributes.DEFAULT, Prefix.parse("10.41.1.0/24"), RouteAttributes.DEFAULT)));
		await(() -> received(this.c) == 2 && received(this.b) == 2, "B and C received the added route");
		assertThat(upSince(this.c)).as("C's session is the one established before the changes").isLessThan(bothUp);

		long beforeRemoval = System.nanoTime();
		SpeakerReconciler.Changes removal = this.reconciler.apply(new SpeakerPlan(speaker, List.of(toB(30)), routes));
		assertThat(removal.removed()).containsExactly("127.0.0.43");
		await(() -> status(this.c).lastError().contains("6/3"), "C was told it was de-configured (Cease 6/3)");
		await(() -> received(this.b) == 1, "B saw the second route withdrawn");
		assertThat(upSince(this.b)).as("B kept its session while C was removed").isLessThan(beforeRemoval);
	}

	@Test
	void eachNeighbourGetsItsOwnRoutesAndASelectionChangeResetsNoSession() throws Exception {
		Prefix pods = Prefix.parse("10.41.0.0/24");
		Prefix service = Prefix.parse("172.16.41.1/32");
		SpeakerConfig speaker = new SpeakerConfig(65001, SPEAKER, SPEAKER, 0, false);
		this.reconciler.apply(SpeakerPlan.perNeighbour(speaker, List.of(toB(90), toC()),
				Map.of(B, Map.of(pods, RouteAttributes.DEFAULT, service, RouteAttributes.DEFAULT), C,
						Map.of(pods, RouteAttributes.DEFAULT))));
		int port = this.reconciler.speaker().listenPort();
		this.b.addNeighbour(new NeighbourConfig(SPEAKER, port, 65001, false, 90, 1, IPV4, 0, null));
		this.c.addNeighbour(new NeighbourConfig(SPEAKER, port, 65001, false, 90, 1, IPV4, 0, null));
		await(() -> received(this.b) == 2 && received(this.c) == 1, "B received both routes, C only the pods'");
		assertThat(this.reconciler.speaker().advertisedByNeighbour()).containsEntry("127.0.0.43",
				Map.of(pods, RouteAttributes.DEFAULT));
		long bothUp = System.nanoTime();

		SpeakerReconciler.Changes changes = this.reconciler
			.apply(SpeakerPlan.perNeighbour(speaker, List.of(toB(90), toC()),
					Map.of(B, Map.of(), C, Map.of(pods, RouteAttributes.DEFAULT, service, RouteAttributes.DEFAULT))));

		assertThat(changes.isEmpty()).as("no session settings changed: " + changes).isTrue();
		await(() -> received(this.b) == 0 && received(this.c) == 2, "B's routes were withdrawn, C got the service");
		assertThat(upSince(this.b)).as("B kept its session").isLessThan(bothUp);
		assertThat(upSince(this.c)).as("C kept its session").isLessThan(bothUp);
	}

	@Test
	void aNewLocalAsRestartsTheSpeakerAndEveryNeighbourComesBackWithIt() throws Exception {
		Map<Prefix, RouteAttributes> routes = Map.of(Prefix.parse("10.41.0.0/24"), RouteAttributes.DEFAULT);
		this.reconciler
			.apply(new SpeakerPlan(new SpeakerConfig(65001, SPEAKER, SPEAKER, 0, false), List.of(toB(90)), routes));
		int port = this.reconciler.speaker().listenPort();
		this.b.addNeighbour(new NeighbourConfig(SPEAKER, port, 65001, false, 90, 1, IPV4, 0, null));
		await(() -> received(this.b) == 1, "B received the route from AS 65001");

		// B still expects AS 65001: the restarted speaker's OPEN from AS 65009 is
		// refused,
		// which shows the restart really took the new AS to the wire.
		SpeakerReconciler.Changes changes = this.reconciler
			.apply(new SpeakerPlan(new SpeakerConfig(65009, SPEAKER, SPEAKER, port, false), List.of(toB(90)), routes));

		assertThat(changes.restarted()).isTrue();
		assertThat(changes.added()).containsExactly("127.0.0.42");
		await(() -> status(this.b).lastError().contains("2/2"), "B refused the OPEN from AS 65009 (Bad Peer AS)");
	}

	private static NeighbourConfig toB(int holdTimeSeconds) {
		return new NeighbourConfig(B, 0, 65002, true, holdTimeSeconds, 1, IPV4, 0, null);
	}

	private static NeighbourConfig toC() {
		return new NeighbourConfig(C, 0, 65003, true, 90, 1, IPV4, 0, null);
	}

	/**
	 * When the speaker's session came up, in {@link System#nanoTime()}; MAX_VALUE when
	 * down.
	 */
	private static long upSince(BgpSpeaker speaker) {
		long now = System.nanoTime();
		PeerStatus status = status(speaker);
		return (status.state() == SessionState.ESTABLISHED) ? now - status.uptime().toNanos() : Long.MAX_VALUE;
	}

	private static PeerStatus status(BgpSpeaker speaker) {
		return speaker.status().get(0);
	}

	private static int received(BgpSpeaker speaker) {
		PeerStatus status = status(speaker);
		return (status.state() == SessionState.ESTABLISHED) ? status.received().get(AddressFamily.IPV4_UNICAST) : -1;
	}

	private static void await(BooleanSupplier condition, String what) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("gave up waiting for: " + what);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted waiting for: " + what, ex);
			}
		}
	}

	private static InetAddress address(String text) {
		try {
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
