package io.jcilium.bgp.fsm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.BgpError;
import io.jcilium.bgp.wire.BgpMessage;
import io.jcilium.bgp.wire.Capabilities;
import io.jcilium.bgp.wire.KeepaliveMessage;
import io.jcilium.bgp.wire.NotificationMessage;
import io.jcilium.bgp.wire.OpenMessage;
import io.jcilium.bgp.wire.PathAttributes;
import io.jcilium.bgp.wire.RouteRefreshMessage;
import io.jcilium.bgp.wire.UpdateMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 4271 section 8 on one connection: OpenSent, OpenConfirm, Established, and every way
 * out with its NOTIFICATION.
 */
class ConnectionFsmTest {

	private static final LocalSpeaker LOCAL = new LocalSpeaker(4200000000L, 0x0A000001L, 65001, 90,
			Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), 120, false);

	private final RecordingActions actions = new RecordingActions();

	private final ConnectionFsm fsm = new ConnectionFsm(LOCAL, this.actions);

	@Test
	void connectedSendsOurOpenWithFourOctetAsAndGracefulRestart() {
		this.fsm.connected();
		OpenMessage open = (OpenMessage) this.actions.sent.get(0);
		assertThat(open.myAsField()).isEqualTo(OpenMessage.AS_TRANS);
		assertThat(open.asn()).isEqualTo(4200000000L);
		assertThat(open.capabilities().multiprotocol()).containsExactlyInAnyOrderElementsOf(LOCAL.families());
		assertThat(open.capabilities().routeRefresh()).isTrue();
		assertThat(open.capabilities().gracefulRestart().restartTimeSeconds()).isEqualTo(120);
		assertThat(this.actions.holdSeconds).isEqualTo(ConnectionFsm.OPEN_SENT_HOLD_SECONDS);
		assertThat(this.fsm.state()).isEqualTo(SessionState.OPEN_SENT);
	}

	@Test
	void openThenKeepaliveEstablishesWithTheSmallerHoldTime() {
		this.fsm.connected();
		this.fsm.received(peerOpen(65001, 30, Set.of(AddressFamily.IPV4_UNICAST)));
		assertThat(this.fsm.state()).isEqualTo(SessionState.OPEN_CONFIRM);
		assertThat(this.actions.sent.get(1)).isEqualTo(KeepaliveMessage.INSTANCE);
		assertThat(this.actions.keepaliveSeconds).isEqualTo(10);
		this.fsm.received(KeepaliveMessage.INSTANCE);
		assertThat(this.fsm.state()).isEqualTo(SessionState.ESTABLISHED);
		assertThat(this.actions.negotiated.holdTimeSeconds()).isEqualTo(30);
		assertThat(this.actions.negotiated.families()).containsExactly(AddressFamily.IPV4_UNICAST);
	}

	@Test
	void aConfiguredKeepaliveIsSentAtItsIntervalUnlessTheNeighbourLoweredTheHoldTime() {
		LocalSpeaker configured = new LocalSpeaker(65001, 0x0A000001L, 65001, 90, LOCAL.families(), 0, false, 5);
		RecordingActions agreed = new RecordingActions();
		ConnectionFsm fsm = new ConnectionFsm(configured, agreed);
		fsm.connected();
		fsm.received(peerOpen(65001, 90, LOCAL.families()));
		assertThat(agreed.keepaliveSeconds).isEqualTo(5);
		fsm.received(KeepaliveMessage.INSTANCE);
		assertThat(agreed.negotiated.keepaliveSeconds()).isEqualTo(5);

		// the neighbour's 9 s hold time: a keepalive at most every 3 s keeps its hold
		// timer from running out
		RecordingActions lowered = new RecordingActions();
		ConnectionFsm shorter = new ConnectionFsm(
				new LocalSpeaker(65001, 0x0A000001L, 65001, 90, LOCAL.families(), 0, false, 30), lowered);
		shorter.connected();
		shorter.received(peerOpen(65001, 9, LOCAL.families()));
		assertThat(lowered.keepaliveSeconds).isEqualTo(3);
	}

	@Test
	void theKeepaliveIntervalFollowsGobgpsRules() {
		assertThat(Negotiated.keepalive(0, 90, 90)).as("none configured: a third").isEqualTo(30);
		assertThat(Negotiated.keepalive(0, 90, 30)).isEqualTo(10);
		assertThat(Negotiated.keepalive(60, 90, 90)).as("configured, hold time as proposed").isEqualTo(60);
		assertThat(Negotiated.keepalive(5, 90, 30)).as("configured, below a third of a lowered hold").isEqualTo(5);
		assertThat(Negotiated.keepalive(20, 90, 30)).as("configured, above a third of a lowered hold").isEqualTo(10);
		assertThat(Negotiated.keepalive(9, 9, 9)).as("never as long as the hold time").isEqualTo(3);
		assertThat(Negotiated.keepalive(5, 90, 0)).as("hold time 0: no keepalives").isZero();
	}

	@Test
	void aHoldTimeOfZeroDisarmsBothTimers() {
		establish(0);
		assertThat(this.actions.holdSeconds).isZero();
		assertThat(this.actions.keepaliveSeconds).isZero();
	}

	@Test
	void aWrongPeerAsIsRefusedWithBadPeerAs() {
		this.fsm.connected();
		this.fsm.received(peerOpen(65002, 90, Set.of()));
		assertEndedWith(BgpError.BAD_PEER_AS);
	}

	@Test
	void anUpdateInOpenSentIsAnFsmError() {
		this.fsm.connected();
		this.fsm.received(new UpdateMessage(List.of(), PathAttributes.NONE, List.of()));
		assertEndedWith(BgpError.FSM_UNEXPECTED_IN_OPEN_SENT);
	}

	@Test
	void anOpenInOpenConfirmIsAnFsmError() {
		this.fsm.connected();
		this.fsm.received(peerOpen(65001, 90, Set.of()));
		this.fsm.received(peerOpen(65001, 90, Set.of()));
		assertEndedWith(BgpError.FSM_UNEXPECTED_IN_OPEN_CONFIRM);
	}

	@Test
	void anOpenInEstablishedIsAnFsmError() {
		establish(90);
		this.fsm.received(peerOpen(65001, 90, Set.of()));
		assertEndedWith(BgpError.FSM_UNEXPECTED_IN_ESTABLISHED);
	}

	@Test
	void theHoldTimerExpiringSendsHoldTimerExpired() {
		establish(90);
		this.fsm.holdTimerExpired();
		assertEndedWith(BgpError.HOLD_TIMER_EXPIRED);
	}

	@Test
	void losingACollisionCeasesWithCollisionResolution() {
		this.actions.winCollision = false;
		this.fsm.connected();
		this.fsm.received(peerOpen(65001, 90, Set.of()));
		assertEndedWith(BgpError.CEASE_CONNECTION_COLLISION_RESOLUTION);
	}

	@Test
	void updatesAndKeepalivesRestartTheHoldTimerAndUpdatesReachThePeer() {
		establish(90);
		this.actions.holdSeconds = -1;
		this.fsm.received(new UpdateMessage(List.of(), PathAttributes.NONE, List.of()));
		assertThat(this.actions.holdSeconds).isEqualTo(90);
		assertThat(this.actions.updates).hasSize(1);
	}

	@Test
	void aRouteRefreshForAFamilyNotNegotiatedIsIgnored() {
		establish(90);
		this.fsm.received(new RouteRefreshMessage(2, 1));
		this.fsm.received(new RouteRefreshMessage(1, 1));
		assertThat(this.actions.refreshes).containsExactly(new RouteRefreshMessage(1, 1));
	}

	@Test
	void aNotificationReceivedEndsTheConnectionWithoutAnswering() {
		establish(90);
		int sent = this.actions.sent.size();
		this.fsm.received(NotificationMessage.of(BgpError.CEASE_ADMINISTRATIVE_RESET));
		assertThat(this.actions.sent).hasSize(sent);
		assertThat(this.actions.closed).isTrue();
		assertThat(this.fsm.state()).isEqualTo(SessionState.IDLE);
	}

	@Test
	void aMalformedMessageSendsItsNotificationAndCloses() {
		establish(90);
		this.fsm.malformed(NotificationMessage.of(BgpError.BAD_MESSAGE_TYPE, new byte[] { 9 }), "type 9");
		assertEndedWith(BgpError.BAD_MESSAGE_TYPE);
		assertThat(this.actions.downReason).contains("type 9");
	}

	private void establish(int holdTime) {
		this.fsm.connected();
		this.fsm.received(peerOpen(65001, holdTime, Set.of(AddressFamily.IPV4_UNICAST)));
		this.fsm.received(KeepaliveMessage.INSTANCE);
		assertThat(this.fsm.state()).isEqualTo(SessionState.ESTABLISHED);
	}

	private void assertEndedWith(BgpError error) {
		BgpMessage last = this.actions.sent.get(this.actions.sent.size() - 1);
		assertThat(((NotificationMessage) last).error()).isEqualTo(error);
		assertThat(this.actions.closed).isTrue();
		assertThat(this.actions.downReason).isNotNull();
		assertThat(this.fsm.state()).isEqualTo(SessionState.IDLE);
	}

	private static OpenMessage peerOpen(int asn, int holdTime, Set<AddressFamily> families) {
		return new OpenMessage(asn, holdTime, 0x0A000002L, new Capabilities(families, true, true, asn, null));
	}

	/** Records what the state machine asks for. */
	static final class RecordingActions implements ConnectionActions {

		final List<BgpMessage> sent = new ArrayList<>();

		final List<UpdateMessage> updates = new ArrayList<>();

		final List<RouteRefreshMessage> refreshes = new ArrayList<>();

		boolean closed;

		boolean winCollision = true;

		int holdSeconds;

		int keepaliveSeconds;

		Negotiated negotiated;

		String downReason;

		@Override
		public void send(BgpMessage message) {
			this.sent.add(message);
		}

		@Override
		public void close() {
			this.closed = true;
		}

		@Override
		public void armHoldTimer(int seconds) {
			this.holdSeconds = seconds;
		}

		@Override
		public void armKeepaliveTimer(int seconds) {
			this.keepaliveSeconds = seconds;
		}

		@Override
		public boolean openReceived(OpenMessage open) {
			return this.winCollision;
		}

		@Override
		public void established(Negotiated negotiated) {
			this.negotiated = negotiated;
		}

		@Override
		public void update(UpdateMessage update) {
			this.updates.add(update);
		}

		@Override
		public void routeRefresh(RouteRefreshMessage refresh) {
			this.refreshes.add(refresh);
		}

		@Override
		public void down(String reason, boolean withNotification) {
			this.downReason = reason;
		}

	}

}
