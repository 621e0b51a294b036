package io.jcilium.bgp.session;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.wire.BgpError;
import io.jcilium.bgp.wire.GracefulRestart;
import io.jcilium.bgp.wire.NotificationMessage;
import io.jcilium.bgp.wire.OpenMessage;

/**
 * The (at most two) connections of one neighbour, one we opened and one it opened, and
 * which of them wins when both reach OPEN (RFC 4271 section 6.8). Confined to the peer's
 * event loop.
 */
final class PeerConnections {

	private final long localBgpIdentifier;

	private Connection outgoing;

	private Connection incoming;

	private Connection established;

	PeerConnections(long localBgpIdentifier) {
		this.localBgpIdentifier = localBgpIdentifier;
	}

	Connection established() {
		return this.established;
	}

	boolean hasOutgoing() {
		return this.outgoing != null;
	}

	boolean isEmpty() {
		return this.outgoing == null && this.incoming == null;
	}

	void addOutgoing(Connection connection) {
		this.outgoing = connection;
	}

	/**
	 * A new connection from the neighbour replaces one it opened before that is not up.
	 */
	void addIncoming(Connection connection) {
		if (this.incoming != null && this.incoming != this.established) {
			this.incoming.channel().close();
		}
		this.incoming = connection;
	}

	void establish(Connection connection) {
		this.established = connection;
	}

	/**
	 * Forgets a connection that went down.
	 * @return whether it was the Established one
	 */
	boolean remove(Connection connection) {
		boolean wasEstablished = connection == this.established;
		if (wasEstablished) {
			this.established = null;
		}
		if (connection == this.outgoing) {
			this.outgoing = null;
		}
		if (connection == this.incoming) {
			this.incoming = null;
		}
		return wasEstablished;
	}

	List<Connection> all() {
		List<Connection> all = new ArrayList<>(2);
		if (this.outgoing != null) {
			all.add(this.outgoing);
		}
		if (this.incoming != null) {
			all.add(this.incoming);
		}
		return all;
	}

	/** The furthest state any connection reached, or {@code fallback} without one. */
	SessionState state(SessionState fallback) {
		SessionState state = fallback;
		for (Connection connection : all()) {
			if (connection.fsm().state().compareTo(state) > 0) {
				state = connection.fsm().state();
			}
		}
		return state;
	}

	/**
	 * A valid OPEN arrived on {@code connection}: whether it goes on. With the other
	 * connection in OpenConfirm, the side with the higher BGP identifier keeps the
	 * connection it opened; with the other Established, the new one loses unless the
	 * neighbour restarted (RFC 4724 section 4.2).
	 */
	boolean openReceived(Connection connection, OpenMessage open) {
		Connection other = (connection == this.outgoing) ? this.incoming : this.outgoing;
		if (other == null) {
			return true;
		}
		SessionState otherState = other.fsm().state();
		if (otherState == SessionState.ESTABLISHED) {
			if (!peerRestarted(connection, other, open)) {
				return false;
			}
			other.channel().close();
			return true;
		}
		if (otherState != SessionState.OPEN_CONFIRM) {
			return true;
		}
		boolean localLower = this.localBgpIdentifier < open.bgpIdentifier();
		Connection loser = localLower ? this.outgoing : this.incoming;
		if (loser == connection) {
			return false;
		}
		loser.fsm()
			.stop(NotificationMessage.of(BgpError.CEASE_CONNECTION_COLLISION_RESOLUTION),
					"lost a connection collision");
		return true;
	}

	/**
	 * A start-up collision looks like a restart except that the two connections were
	 * opened from opposite ends and the neighbour does not say it is restarting: then the
	 * new connection loses.
	 */
	private static boolean peerRestarted(Connection fresh, Connection established, OpenMessage open) {
		GracefulRestart gr = open.capabilities().gracefulRestart();
		return gr != null && (gr.restarting() || fresh.outgoing() == established.outgoing());
	}

}
