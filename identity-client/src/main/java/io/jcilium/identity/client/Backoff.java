package io.jcilium.identity.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the delay doubles from the initial one up to the max,
 * each delay randomised by up to a fifth, so that many agents do not reconnect in step
 * after the service returns.
 */
final class Backoff {

	private final long initialMillis;

	private final long maxMillis;

	private long nextMillis;

	Backoff(Duration initial, Duration max) {
		this.initialMillis = initial.toMillis();
		this.maxMillis = Math.max(max.toMillis(), this.initialMillis);
		this.nextMillis = this.initialMillis;
	}

	/** The delay to wait now; the one after is twice as long, up to the max. */
	synchronized long nextDelayMillis() {
		long delay = this.nextMillis;
		this.nextMillis = Math.min(this.maxMillis, this.nextMillis * 2);
		long jitter = delay / 5;
		return (jitter > 0) ? delay - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1) : delay;
	}

	synchronized void reset() {
		this.nextMillis = this.initialMillis;
	}

}
