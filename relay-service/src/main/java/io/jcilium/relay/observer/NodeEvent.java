package io.jcilium.relay.observer;

import io.grpc.Status;
import io.jcilium.relay.pool.PeerConnection;

/** What the nodes of one {@code GetFlows} request tell its merging thread. */
sealed interface NodeEvent {

	/** The node this is about. */
	String node();

	/** A flow or lost-events response from a node. */
	record Response(String node, WireResponse response) implements NodeEvent {
	}

	/** The node sent all it had for the request. */
	record Ended(String node) implements NodeEvent {
	}

	/**
	 * The node's stream failed.
	 *
	 * @param status the call's status
	 * @param unavailable whether the node is away (retried when it returns) rather than
	 * refusing the request
	 */
	record Failed(String node, Status status, boolean unavailable) implements NodeEvent {
	}

	/** The pool reached the node (again). */
	record Available(PeerConnection connection) implements NodeEvent {

		@Override
		public String node() {
			return this.connection.name();
		}

	}

}
