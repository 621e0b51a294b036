package io.jcilium.bgp.fsm;

import java.util.EnumMap;
import java.util.Map;

import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.BgpError;
import io.jcilium.bgp.wire.BgpMessage;
import io.jcilium.bgp.wire.Capabilities;
import io.jcilium.bgp.wire.GracefulRestart;
import io.jcilium.bgp.wire.KeepaliveMessage;
import io.jcilium.bgp.wire.NotificationMessage;
import io.jcilium.bgp.wire.OpenMessage;
import io.jcilium.bgp.wire.RouteRefreshMessage;
import io.jcilium.bgp.wire.SessionCodecOptions;
import io.jcilium.bgp.wire.UpdateMessage;

/**
 * The part of RFC 4271 section 8's state machine that lives on one TCP connection: from
 * OpenSent through OpenConfirm to Established. Idle, Connect and Active (connect-retry,
 * which connection to open) belong to the peer, which may hold two connections while a
 * collision is resolved. Plain Java, driven by events, acting through
 * {@link ConnectionActions}; one thread at a time.
 */
public final class ConnectionFsm {

	/**
	 * RFC 4271 section 8.2.2: the hold timer in OpenSent is "a large value", 4 minutes.
	 */
	static final int OPEN_SENT_HOLD_SECONDS = 240;

	private final LocalSpeaker local;

	private final ConnectionActions actions;

	private SessionState state = SessionState.IDLE;

	private Negotiated negotiated;

	public ConnectionFsm(LocalSpeaker local, ConnectionActions actions) {
		this.local = local;
		this.actions = actions;
	}

	public SessionState state() {
		return this.state;
	}

	/** What the OPENs agreed on, once OpenConfirm is reached, else {@code null}. */
	public Negotiated negotiated() {
		return this.negotiated;
	}

	/**
	 * The TCP connection is up: send our OPEN (section 8.2.2, Connect state, event
	 * 16/17).
	 */
	public void connected() {
		if (this.state != SessionState.IDLE) {
			return;
		}
		this.actions.send(ourOpen());
		this.actions.armHoldTimer(OPEN_SENT_HOLD_SECONDS);
		this.state = SessionState.OPEN_SENT;
	}

	public void received(BgpMessage message) {
		if (this.state == SessionState.IDLE) {
			return;
		}
		if (message instanceof NotificationMessage notification) {
			end("received " + notification, false, true);
			return;
		}
		switch (this.state) {
			case OPEN_SENT -> inOpenSent(message);
			case OPEN_CONFIRM -> inOpenConfirm(message);
			case ESTABLISHED -> inEstablished(message);
			default -> {
			}
		}
	}

	/** The decoder rejected a message: send its NOTIFICATION and close (section 6). */
	public void malformed(NotificationMessage notification, String detail) {
		if (this.state != SessionState.IDLE) {
			fail(notification, "sent " + notification + ": " + detail);
		}
	}

	public void holdTimerExpired() {
		if (this.state != SessionState.IDLE) {
			fail(NotificationMessage.of(BgpError.HOLD_TIMER_EXPIRED), "hold timer expired");
		}
	}

	public void keepaliveTimerExpired() {
		if (this.state == SessionState.OPEN_CONFIRM || this.state == SessionState.ESTABLISHED) {
			this.actions.send(KeepaliveMessage.INSTANCE);
			this.actions.armKeepaliveTimer(this.negotiated.keepaliveSeconds());
		}
	}

	/** The TCP connection closed under us (section 8.2.2, event 18). */
	public void transportClosed() {
		if (this.state != SessionState.IDLE) {
			end("connection closed by the peer", false, false);
		}
	}

	/** Ends the connection with a NOTIFICATION of ours (Cease, collision, shutdown). */
	public void stop(NotificationMessage notification, String reason) {
		if (this.state != SessionState.IDLE) {
			fail(notification, reason);
		}
	}

	private void inOpenSent(BgpMessage message) {
		if (!(message instanceof OpenMessage open)) {
			fail(NotificationMessage.of(BgpError.FSM_UNEXPECTED_IN_OPEN_SENT), message.type() + " in OpenSent");
			return;
		}
		NotificationMessage refusal = OpenChecks.check(this.local, open);
		if (refusal != null) {
			fail(refusal, "refused the OPEN: " + refusal);
			return;
		}
		if (!this.actions.openReceived(open)) {
			fail(NotificationMessage.of(BgpError.CEASE_CONNECTION_COLLISION_RESOLUTION), "lost a connection collision");
			return;
		}
		this.negotiated = negotiate(open);
		this.actions.send(KeepaliveMessage.INSTANCE);
		this.actions.armHoldTimer(this.negotiated.holdTimeSeconds());
		this.actions.armKeepaliveTimer(this.negotiated.keepaliveSeconds());
		this.state = SessionState.OPEN_CONFIRM;
	}

	private void inOpenConfirm(BgpMessage message) {
		if (!(message instanceof KeepaliveMessage)) {
			fail(NotificationMessage.of(BgpError.FSM_UNEXPECTED_IN_OPEN_CONFIRM), message.type() + " in OpenConfirm");
			return;
		}
		this.actions.armHoldTimer(this.negotiated.holdTimeSeconds());
		this.state = SessionState.ESTABLISHED;
		this.actions.established(this.negotiated);
	}

	private void inEstablished(BgpMessage message) {
		if (message instanceof OpenMessage) {
			fail(NotificationMessage.of(BgpError.FSM_UNEXPECTED_IN_ESTABLISHED), "OPEN in Established");
			return;
		}
		this.actions.armHoldTimer(this.negotiated.holdTimeSeconds());
		if (message instanceof UpdateMessage update) {
			this.actions.update(update);
		}
		else if (message instanceof RouteRefreshMessage refresh) {
			// RFC 2918 section 4: a request for a family not negotiated is ignored.
			if (refresh.family() != null && this.negotiated.families().contains(refresh.family())) {
				this.actions.routeRefresh(refresh);
			}
		}
	}

	private Negotiated negotiate(OpenMessage open) {
		Capabilities theirs = open.capabilities();
		int hold = Math.min(this.local.holdTimeSeconds(), open.holdTimeSeconds());
		boolean fourOctet = theirs.fourOctetAs();
		SessionCodecOptions options = new SessionCodecOptions(fourOctet, this.local.internal(), this.local.peerAsn());
		int keepalive = Negotiated.keepalive(this.local.keepaliveSeconds(), this.local.holdTimeSeconds(), hold);
		return new Negotiated(open, ourCapabilities().commonFamilies(theirs), hold, options, keepalive);
	}

	private OpenMessage ourOpen() {
		long asn = this.local.localAsn();
		int myAsField = (asn > 0xFFFF) ? OpenMessage.AS_TRANS : (int) asn;
		return new OpenMessage(myAsField, this.local.holdTimeSeconds(), this.local.bgpIdentifier(), ourCapabilities());
	}

	private Capabilities ourCapabilities() {
		GracefulRestart gr = null;
		if (this.local.gracefulRestartSeconds() > 0) {
			// Forwarding is not ours to keep (routes are announced, not installed): F
			// bits clear.
			Map<AddressFamily, Boolean> families = new EnumMap<>(AddressFamily.class);
			this.local.families().forEach((family) -> families.put(family, false));
			gr = new GracefulRestart(this.local.restarting(), this.local.gracefulRestartSeconds(), families);
		}
		return new Capabilities(this.local.families(), true, true, this.local.localAsn(), gr);
	}

	private void fail(NotificationMessage notification, String reason) {
		this.actions.send(notification);
		end(reason, true, true);
	}

	private void end(String reason, boolean weClose, boolean withNotification) {
		this.state = SessionState.IDLE;
		this.actions.armHoldTimer(0);
		this.actions.armKeepaliveTimer(0);
		if (weClose || withNotification) {
			this.actions.close();
		}
		this.actions.down(reason, withNotification);
	}

}
