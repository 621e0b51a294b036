package io.jcilium.agent.hubble.ring;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.flow.LostEventSource;

/**
 * One reader's position in a {@link FlowRing}. Reading forward, a position the writer has
 * already overwritten turns into one {@code HUBBLE_RING_BUFFER} lost-events record
 * counting exactly the entries skipped, and the reader continues at the oldest entry. Not
 * thread-safe: one reader per stream.
 */
public final class RingReader {

	private final FlowRing ring;

	private final Clock clock;

	private long position;

	RingReader(FlowRing ring, long position) {
		this.ring = ring;
		this.clock = Clock.systemUTC();
		this.position = Math.max(0, position);
	}

	/** The position the next forward read takes. */
	public long position() {
		return this.position;
	}

	/**
	 * The next entry, without waiting.
	 * @return the entry, a lost-events record if the reader was overtaken, or null at the
	 * head
	 */
	public RingEvent next() {
		while (true) {
			long oldest = this.ring.oldestPosition();
			if (this.position < oldest) {
				long lost = oldest - this.position;
				this.position = oldest;
				return RingEvent.lost(now(), LostEventSource.HUBBLE_RING_BUFFER, lost);
			}
			if (this.position >= this.ring.writePosition()) {
				return null;
			}
			RingEvent event = this.ring.get(this.position);
			if (event != null) {
				this.position++;
				return event;
			}
			// Overwritten between the two reads: count it as lost on the next round.
		}
	}

	/**
	 * The next entry, waiting at the head for at most the timeout.
	 * @param timeout how long to wait for a new entry
	 * @param unit its unit
	 * @return the entry or lost-events record, null if none came in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public RingEvent next(long timeout, TimeUnit unit) throws InterruptedException {
		RingEvent event = next();
		if (event == null && this.ring.awaitWritten(this.position, timeout, unit)) {
			event = next();
		}
		return event;
	}

	/**
	 * Steps back one entry, for readers that look for the last entries matching a filter
	 * before reading forward.
	 * @return the entry before the current position (which moves onto it), or null when
	 * the oldest readable entry is passed (the position stays)
	 */
	public RingEvent previous() {
		if (this.position <= this.ring.oldestPosition()) {
			return null;
		}
		RingEvent event = this.ring.get(this.position - 1);
		if (event != null) {
			this.position--;
		}
		return event;
	}

	private Timestamp now() {
		Instant now = this.clock.instant();
		return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
	}

}
