package io.jcilium.identity.client;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Since when identity-service has been failing, and the latest reason: the substance of
 * every {@link IdentityUnavailableException} message.
 */
final class Outage {

	private final Clock clock;

	private Instant since;

	private String reason;

	Outage(Clock clock) {
		this.clock = clock;
	}

	/** Records a failure; returns whether it began an outage. */
	synchronized boolean failed(String reason) {
		this.reason = reason;
		if (this.since == null) {
			this.since = this.clock.instant();
			return true;
		}
		return false;
	}

	/** Records an answer; returns whether it ended an outage. */
	synchronized boolean answered() {
		boolean ended = this.since != null;
		this.since = null;
		this.reason = null;
		return ended;
	}

	/**
	 * The outage in words, e.g. {@code since 2026-01-01T10:00:00Z (UNAVAILABLE: Redis is
	 * unavailable ...)}.
	 * @return the description, or empty when the service answers
	 */
	synchronized Optional<String> describe() {
		return (this.since != null) ? Optional.of("since " + this.since + " (" + this.reason + ")") : Optional.empty();
	}

}
