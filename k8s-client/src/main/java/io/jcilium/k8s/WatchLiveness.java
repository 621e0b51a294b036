package io.jcilium.k8s;

import java.time.Duration;

/**
 * How soon a watch whose connection went silent (a cut link, a peer gone without a reset)
 * is taken as dead: the client pings every {@code pingInterval}; a ping still unanswered
 * at the next one ends the watch, whose connection is then given {@code closeTimeout} to
 * close cleanly. The default, pings every 15 s and 5 s to close, bounds detection at 35
 * s, close to client-go's HTTP/2 health check (a ping after 30 s of silence, dead 15 s
 * later).
 *
 * @param pingInterval time between pings on each watch
 * @param closeTimeout how long a dead watch's close handshake may take before its
 * connection is dropped
 */
public record WatchLiveness(Duration pingInterval, Duration closeTimeout) {

	/** A ping every 15 s, 5 s to close: a dead watch ends within 35 s. */
	public static final WatchLiveness DEFAULT = new WatchLiveness(Duration.ofSeconds(15), Duration.ofSeconds(5));

	public WatchLiveness {
		if (pingInterval.toMillis() < 1 || closeTimeout.toSeconds() < 1) {
			throw new IllegalArgumentException(
					"watch liveness needs a ping interval of at least 1 ms and a close timeout of at least 1 s, got "
							+ pingInterval + " and " + closeTimeout);
		}
	}

	/** The longest a watch over a silently dead connection stays open. */
	public Duration bound() {
		return this.pingInterval.multipliedBy(2).plus(this.closeTimeout);
	}

}
