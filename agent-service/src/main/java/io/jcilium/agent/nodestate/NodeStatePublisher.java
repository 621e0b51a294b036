package io.jcilium.agent.nodestate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.jcilium.api.agent.v1.NodeState;

/**
 * The node state as last published: each {@link #publish(NodeState) publish} of a state
 * that says something new numbers it with the next revision and hands it to every
 * subscriber; one that says the same changes nothing, so consumers see a revision per
 * real change. Nothing is published before the first full state, so nobody mistakes an
 * agent still filling its caches for a node that serves nothing. Plain Java.
 */
final class NodeStatePublisher {

	private final List<Consumer<NodeState>> subscribers = new CopyOnWriteArrayList<>();

	private NodeState current;

	/**
	 * @param state the whole state now (its revision is ignored)
	 * @return whether it was new
	 */
	boolean publish(NodeState state) {
		NodeState numbered;
		synchronized (this) {
			if (this.current != null && NodeStateAssembler.sameContent(this.current, state)) {
				return false;
			}
			long revision = (this.current != null) ? this.current.getRevision() + 1 : 1;
			numbered = state.toBuilder().setRevision(revision).build();
			this.current = numbered;
			// Under the lock: subscribers see the revisions in order.
			this.subscribers.forEach((subscriber) -> subscriber.accept(numbered));
		}
		return true;
	}

	/**
	 * @return the last published state, or {@code null} before the first
	 */
	synchronized NodeState current() {
		return this.current;
	}

	/**
	 * @return how many subscribers there are (watch streams still open)
	 */
	int subscribers() {
		return this.subscribers.size();
	}

	/**
	 * Hands the current state (if any) and then every new one to {@code subscriber}.
	 * @param subscriber called under the publisher's lock: must not block
	 * @return removes the subscription
	 */
	synchronized Runnable subscribe(Consumer<NodeState> subscriber) {
		this.subscribers.add(subscriber);
		if (this.current != null) {
			subscriber.accept(this.current);
		}
		return () -> this.subscribers.remove(subscriber);
	}

}
