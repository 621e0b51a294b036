package io.jcilium.relay.observer;

import java.util.HashMap;
import java.util.Map;

import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.observer.GetFlowsRequest;

/**
 * Where each node of one {@code GetFlows} request stands: reading, ended, or away (its
 * stream failed, or it was unavailable at the start) and waiting to be picked up again. A
 * node picked up again is asked from the time of the last response it sent, and what it
 * sends again up to that time is dropped, so a {@code follow} client sees neither a gap
 * nor a duplicate when an agent reconnects (flows of exactly that nanosecond that it had
 * not sent yet are lost with them; agents' clocks make that rare).
 */
final class RequestNodes {

	enum State {

		READING, ENDED, AWAY

	}

	private final GetFlowsRequest request;

	private final Map<String, State> states = new HashMap<>();

	private final Map<String, Long> lastNanos = new HashMap<>();

	private final Map<String, Long> cutoffNanos = new HashMap<>();

	RequestNodes(GetFlowsRequest request) {
		this.request = request;
	}

	void reading(String node) {
		this.states.put(node, State.READING);
	}

	void ended(String node) {
		this.states.put(node, State.ENDED);
	}

	void away(String node) {
		this.states.put(node, State.AWAY);
	}

	boolean isReading(String node) {
		return this.states.get(node) == State.READING;
	}

	/**
	 * Whether a node may be picked up (again) in a {@code follow} request: one away, or
	 * one the request has not met yet (it joined the cluster).
	 */
	boolean mayResume(String node) {
		State state = this.states.get(node);
		return state == null || state == State.AWAY;
	}

	/**
	 * Records a response's time.
	 * @return whether to pass it on: false for what a resumed node sends again
	 */
	boolean accept(String node, long nanos) {
		if (nanos <= this.cutoffNanos.getOrDefault(node, Long.MIN_VALUE)) {
			return false;
		}
		this.lastNanos.merge(node, nanos, Math::max);
		return true;
	}

	/**
	 * The request to send to a node being picked up: the client's own, or, for a node
	 * that sent something before, the client's from the last time it sent (without
	 * {@code number}, which cannot go with {@code since}).
	 */
	GetFlowsRequest requestFor(String node) {
		Long last = this.lastNanos.get(node);
		if (last == null) {
			return this.request;
		}
		this.cutoffNanos.put(node, last);
		long since = Math.max(last, this.request.hasSince() ? nanos(this.request.getSince()) : Long.MIN_VALUE);
		return this.request.toBuilder()
			.clearNumber()
			.clearFirst()
			.setSince(Timestamp.newBuilder()
				.setSeconds(Math.floorDiv(since, 1_000_000_000L))
				.setNanos((int) Math.floorMod(since, 1_000_000_000L)))
			.build();
	}

	/**
	 * Whether the request is over: no node is reading, and, with {@code follow}, none is
	 * away and at least one ended (a follow request with every node away waits for them).
	 */
	boolean finished(boolean follow) {
		if (this.states.containsValue(State.READING)) {
			return false;
		}
		if (!follow) {
			return true;
		}
		return !this.states.containsValue(State.AWAY) && this.states.containsValue(State.ENDED);
	}

	private static long nanos(Timestamp time) {
		return time.getSeconds() * 1_000_000_000L + time.getNanos();
	}

}
