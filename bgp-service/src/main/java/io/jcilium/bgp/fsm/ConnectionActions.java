package io.jcilium.bgp.fsm;

import io.jcilium.bgp.wire.BgpMessage;
import io.jcilium.bgp.wire.OpenMessage;
import io.jcilium.bgp.wire.RouteRefreshMessage;
import io.jcilium.bgp.wire.UpdateMessage;

/**
 * What a {@link ConnectionFsm} asks of its transport, its timers and its peer.
 */
public interface ConnectionActions {

	void send(BgpMessage message);

	/** Closes the TCP connection (after what was sent is flushed). */
	void close();

	/** (Re)arms the hold timer; 0 disarms it. */
	void armHoldTimer(int seconds);

	/** (Re)arms the keepalive timer; 0 disarms it. */
	void armKeepaliveTimer(int seconds);

	/**
	 * The neighbour's OPEN arrived and was valid: the peer resolves a collision with its
	 * other connection (RFC 4271 section 6.8).
	 * @return whether this connection goes on; when not, it closes with Cease /
	 * Connection Collision Resolution
	 */
	boolean openReceived(OpenMessage open);

	void established(Negotiated negotiated);

	void update(UpdateMessage update);

	void routeRefresh(RouteRefreshMessage refresh);

	/**
	 * The connection is over.
	 * @param reason what ended it, for the operator
	 * @param withNotification whether a NOTIFICATION was sent or received: RFC 4724 keeps
	 * a restarting peer's routes only when the session ended without one
	 */
	void down(String reason, boolean withNotification);

}
