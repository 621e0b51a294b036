package io.jcilium.agent.endpoint;

import java.util.concurrent.TimeUnit;

/**
 * Where the time of one CNI ADD went: each step it took until the endpoint was ready,
 * with the milliseconds since the step before, for the "ADD to ready" log line. Steps of
 * later regenerations are not recorded, and an endpoint not created by ADD records none.
 */
final class AddTimeline {

	private static final AddTimeline NONE = new AddTimeline(0, true);

	private final long startNanos;

	private final StringBuilder steps = new StringBuilder();

	private long lastNanos;

	private boolean finished;

	private AddTimeline(long startNanos, boolean finished) {
		this.startNanos = startNanos;
		this.lastNanos = startNanos;
		this.finished = finished;
	}

	/** A timeline starting now. */
	static AddTimeline start() {
		return new AddTimeline(System.nanoTime(), false);
	}

	/** A timeline that records nothing (restored endpoints). */
	static AddTimeline none() {
		return NONE;
	}

	/** Ends a step now. */
	synchronized void step(String name) {
		if (this.finished) {
			return;
		}
		long now = System.nanoTime();
		if (!this.steps.isEmpty()) {
			this.steps.append(", ");
		}
		this.steps.append(name).append(' ').append(TimeUnit.NANOSECONDS.toMillis(now - this.lastNanos));
		this.lastNanos = now;
	}

	/**
	 * Ends the last step ({@code name}) and the timeline.
	 * @return the total and the steps: {@code "152 ms: address 3, veth 25, ..."}
	 */
	synchronized String finish(String name) {
		step(name);
		this.finished = true;
		return TimeUnit.NANOSECONDS.toMillis(this.lastNanos - this.startNanos) + " ms: " + this.steps;
	}

}
