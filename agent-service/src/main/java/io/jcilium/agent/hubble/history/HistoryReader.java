package io.jcilium.agent.hubble.history;

import java.io.IOException;
import java.util.List;

import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.agent.hubble.ring.RingEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history a {@code GetFlows} call with {@code since} reads before the ring: the
 * segments of earlier agent runs and of this one, oldest first, from the first that can
 * hold a flow at or after {@code since}. It stops at the first record of this run the
 * ring still holds, and {@link #ringStart()} says where the ring takes over, so the
 * client sees each event once, in order, without a gap. Records before {@code since} are
 * skipped without being decoded. A segment that cannot be read (removed by retention
 * meanwhile, damaged) is skipped with a warning. Not thread-safe: one per call.
 */
public final class HistoryReader implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(HistoryReader.class);

	// Flow times come from the kernel's clock, file times from the wall clock: a margin
	// so a segment is never skipped for a flow stamped a little after its last write.
	private static final long CLOCK_MARGIN_MILLIS = 1000;

	private final List<Segment> segments;

	private final long currentBoot;

	private final long sinceNanos;

	private final FlowRing ring;

	private int next;

	private SegmentReader open;

	private boolean openIsCurrentRun;

	// The position after the last record of this run passed so far.
	private long ringStart;

	private boolean passedCurrentRun;

	private boolean done;

	HistoryReader(List<Segment> segments, long currentBoot, long sinceNanos, FlowRing ring) {
		this.segments = segments;
		this.currentBoot = currentBoot;
		this.sinceNanos = sinceNanos;
		this.ring = ring;
		this.next = firstSegment();
	}

	/**
	 * @return the next event from the history, or null where the ring takes over
	 */
	public RingEvent next() {
		while (!this.done) {
			if (this.open == null && !openNext()) {
				this.done = true;
				return null;
			}
			try {
				SegmentReader.Stored stored = this.open.next();
				if (stored == null) {
					closeOpen();
					continue;
				}
				if (this.openIsCurrentRun) {
					long oldest = this.ring.oldestPosition();
					if (stored.position() >= oldest) {
						// Before the first record of this run the history has, the ring
						// may still hold flows retention removed from the history.
						this.ringStart = this.passedCurrentRun ? stored.position() : oldest;
						this.done = true;
						return null;
					}
					this.ringStart = stored.position() + 1;
					this.passedCurrentRun = true;
				}
				if (stored.timeNanos() >= this.sinceNanos) {
					return stored.event();
				}
			}
			catch (IOException ex) {
				log.warn("flow history: a segment could not be read to its end, continuing with the next: {}",
						ex.toString());
				closeOpen();
			}
		}
		return null;
	}

	/**
	 * Where the ring continues once {@link #next()} returned null: after the last record
	 * of this agent run the history gave, or the ring's start when it gave none.
	 */
	public long ringStart() {
		return this.ringStart;
	}

	@Override
	public void close() {
		closeOpen();
		this.done = true;
	}

	/**
	 * The first segment that may hold a flow at or after since: a segment last written
	 * before since holds none, unless it is the last one (read anyway, to know where the
	 * ring continues). The segments are the time index: in write order, each with its
	 * last write time.
	 */
	private int firstSegment() {
		long sinceMillis = Math.floorDiv(this.sinceNanos, 1_000_000L);
		int first = 0;
		for (int i = 0; i < this.segments.size() - 1; i++) {
			if (this.segments.get(i).lastWriteMillis() + CLOCK_MARGIN_MILLIS < sinceMillis) {
				first = i + 1;
			}
			else {
				break;
			}
		}
		return first;
	}

	private boolean openNext() {
		while (this.next < this.segments.size()) {
			Segment segment = this.segments.get(this.next++);
			try {
				this.open = SegmentReader.open(segment);
				this.openIsCurrentRun = segment.boot() == this.currentBoot;
				return true;
			}
			catch (IOException ex) {
				log.debug("flow history segment {} skipped: {}", segment.path(), ex.toString());
			}
		}
		return false;
	}

	private void closeOpen() {
		if (this.open != null) {
			try {
				this.open.close();
			}
			catch (IOException ex) {
				log.debug("closing a flow history segment failed", ex);
			}
			this.open = null;
		}
	}

}
