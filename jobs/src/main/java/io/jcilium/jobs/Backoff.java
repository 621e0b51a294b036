package io.jcilium.jobs;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the delay after the first failure in a row is the
 * initial one, each further failure doubles it up to the max, and each delay is moved at
 * random by up to {@code jitter} of itself (both ways), so that many agents do not retry
 * in step after a shared dependency returns.
 *
 * @param initial the delay after the first failure in a row
 * @param max the longest delay
 * @param jitter the fraction of a delay it may move by, in {@code [0, 1)}
 */
public record Backoff(Duration initial, Duration max, double jitter) {

	/** The jitter most callers use: a fifth of the delay either way. */
	public static final double DEFAULT_JITTER = 0.2;

	public Backoff {
		if (initial.isNegative() || initial.isZero()) {
			throw new IllegalArgumentException("backoff initial delay must be positive, not " + initial);
		}
		if (max.compareTo(initial) < 0) {
			throw new IllegalArgumentException("backoff max " + max + " is shorter than its initial delay " + initial);
		}
		if (jitter < 0 || jitter >= 1) {
			throw new IllegalArgumentException("backoff jitter must be in [0, 1), not " + jitter);
		}
	}

	/**
	 * Doubling from {@code initial} to {@code max}, with {@link #DEFAULT_JITTER}.
	 * @param initial the delay after the first failure in a row
	 * @param max the longest delay
	 * @return the backoff
	 */
	public static Backoff exponential(Duration initial, Duration max) {
		return new Backoff(initial, max, DEFAULT_JITTER);
	}

	/**
	 * The delay to wait after a number of failures in a row.
	 * @param failuresInARow how many runs failed in a row, at least 1
	 * @param random where the jitter comes from
	 * @return the delay, never negative
	 */
	public Duration delay(int failuresInARow, RandomGenerator random) {
		long initialNanos = this.initial.toNanos();
		long maxNanos = this.max.toNanos();
		long nanos = initialNanos;
		for (int i = 1; i < failuresInARow && nanos < maxNanos; i++) {
			nanos = (nanos > maxNanos / 2) ? maxNanos : nanos * 2;
		}
		nanos = Math.min(nanos, maxNanos);
		long spread = (long) (nanos * this.jitter);
		if (spread > 0) {
			nanos += random.nextLong(-spread, spread + 1);
		}
		return Duration.ofNanos(Math.max(0, nanos));
	}

}
