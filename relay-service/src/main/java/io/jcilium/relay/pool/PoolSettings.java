package io.jcilium.relay.pool;

import java.time.Duration;

/**
 * How the pool keeps its connections.
 *
 * @param probeTimeout how long a probe ({@code ServerStatus}) may take before the agent
 * counts as unavailable
 * @param backoffInitial the wait before the first retry of an agent that went away
 * @param backoffMax the longest wait between retries
 */
public record PoolSettings(Duration probeTimeout, Duration backoffInitial, Duration backoffMax) {

	public PoolSettings {
		if (probeTimeout.isNegative() || probeTimeout.isZero()) {
			throw new IllegalArgumentException("the probe timeout must be positive, not " + probeTimeout);
		}
		if (backoffInitial.isNegative() || backoffInitial.isZero() || backoffMax.compareTo(backoffInitial) < 0) {
			throw new IllegalArgumentException("the retry backoff must grow from a positive initial wait, not "
					+ backoffInitial + " to " + backoffMax);
		}
	}

}
