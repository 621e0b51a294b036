package io.jcilium.bgp.session;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.jcilium.jobs.Backoff;
import io.netty.channel.EventLoop;

/**
 * The ConnectRetryTimer of RFC 4271 section 8, with the backoff section 8.1.1 suggests
 * (DampPeerOscillations): each failure in a row doubles the wait, from the neighbour's
 * connect-retry time up to {@link NeighbourConfig#MAX_CONNECT_RETRY_SECONDS}; an
 * Established session resets it. Confined to the peer's event loop.
 */
final class ConnectRetry {

	private final EventLoop loop;

	private final Backoff backoff;

	private int failuresInARow;

	private ScheduledFuture<?> timer;

	ConnectRetry(EventLoop loop, int connectRetrySeconds) {
		this.loop = loop;
		this.backoff = Backoff.exponential(Duration.ofSeconds(connectRetrySeconds),
				Duration.ofSeconds(Math.max(connectRetrySeconds, NeighbourConfig.MAX_CONNECT_RETRY_SECONDS)));
	}

	/** One more failure: run {@code connect} after the backoff's delay. */
	void failed(Runnable connect) {
		this.failuresInARow++;
		cancel();
		Duration delay = this.backoff.delay(this.failuresInARow, ThreadLocalRandom.current());
		this.timer = this.loop.schedule(connect, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** The session came up: the next failure starts from the first delay again. */
	void succeeded() {
		this.failuresInARow = 0;
		cancel();
	}

	void cancel() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

}
