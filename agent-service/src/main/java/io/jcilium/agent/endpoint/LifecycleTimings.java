package io.jcilium.agent.endpoint;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;

/**
 * Where the lifecycle records how long things took. The timers are registered when
 * {@link EndpointMetrics} is bound to a registry; until then nothing is recorded.
 */
final class LifecycleTimings {

	private volatile Timer regeneration;

	private volatile Timer addToReady;

	void bind(Timer regeneration, Timer addToReady) {
		this.regeneration = regeneration;
		this.addToReady = addToReady;
	}

	void regenerated(long nanos) {
		Timer timer = this.regeneration;
		if (timer != null) {
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	void addToReady(long nanos) {
		Timer timer = this.addToReady;
		if (timer != null) {
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

}
