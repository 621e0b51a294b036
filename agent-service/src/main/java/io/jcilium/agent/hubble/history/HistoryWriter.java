package io.jcilium.agent.hubble.history;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.agent.hubble.ring.RingEvent;
import io.jcilium.agent.hubble.ring.RingReader;
import io.jcilium.api.hubble.flow.LostEventSource;

/**
 * Copies the ring into segments: one more reader of the ring, on a thread of its own, so
 * the datapath's reader never waits for a disk. Everything the ring holds is appended in
 * ring order, lost-events records included; if the disk cannot keep up and the ring
 * overtakes this writer, the history records the exact number it missed, as any reader
 * would see it. What is buffered is handed to the operating system whenever the writer
 * catches up with the ring (so a killed agent loses nothing it had caught up with);
 * segments are synced when closed.
 */
final class HistoryWriter {

	private static final long IDLE_WAIT_MILLIS = 200;

	private static final long RETENTION_EVERY_MILLIS = 1000;

	private final HistorySettings settings;

	private final long boot;

	private final RingReader reader;

	private final HistoryRetention retention;

	private final Clock clock;

	private SegmentWriter segment;

	private long lastRetentionMillis;

	private RingEvent pending;

	private long pendingPosition;

	private volatile long written;

	private volatile long lost;

	private volatile long flushedPosition;

	HistoryWriter(HistorySettings settings, long boot, FlowRing ring, Clock clock) {
		this.settings = settings;
		this.boot = boot;
		// From the first flow of this run: the history has all of it.
		this.reader = ring.readerAt(0);
		this.retention = new HistoryRetention(settings);
		this.clock = clock;
	}

	/**
	 * Appends until interrupted; the body of the history job. After a failure the next
	 * call continues where this one stopped, in a new segment.
	 * @throws IOException when a segment cannot be written
	 * @throws InterruptedException when stopped
	 */
	void runUntilStopped() throws IOException, InterruptedException {
		Files.createDirectories(this.settings.directory());
		try {
			if (this.pending != null) {
				append(this.pendingPosition, this.pending);
			}
			while (!Thread.currentThread().isInterrupted()) {
				RingEvent event = this.reader.next();
				if (event == null) {
					caughtUp();
					event = this.reader.next(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
					if (event == null) {
						continue;
					}
				}
				// After a forward read the reader stands just past the entry; after being
				// overtaken, just past the last entry it missed.
				append(this.reader.position() - 1, event);
			}
			throw new InterruptedException("flow history writer stopped");
		}
		finally {
			// Stopping interrupts this thread, and an interrupted thread cannot sync a
			// file channel (ClosedByInterruptException): close first, then keep the
			// interrupt for the job.
			boolean interrupted = Thread.interrupted();
			try {
				closeSegment();
			}
			finally {
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}

	/** Flows and lost-events records appended since start. */
	long written() {
		return this.written;
	}

	/** Events the ring overwrote before this writer could append them, since start. */
	long lost() {
		return this.lost;
	}

	/**
	 * The ring position up to which everything is appended and handed to the operating
	 * system (a restart or a reader sees it).
	 */
	long flushedPosition() {
		return this.flushedPosition;
	}

	private void append(long position, RingEvent event) throws IOException {
		// Kept until appended, so a failed write is retried rather than skipped.
		this.pending = event;
		this.pendingPosition = position;
		if (this.segment != null && this.segment.sizeBytes() >= this.settings.segmentSizeBytes()) {
			closeSegment();
			applyRetention();
		}
		if (this.segment == null) {
			this.segment = new SegmentWriter(Segment.of(this.settings.directory(), this.boot, position));
		}
		this.segment.append(position, event);
		if (!event.isFlow() && event.lost().getSource() == LostEventSource.HUBBLE_RING_BUFFER) {
			this.lost += event.lost().getNumEventsLost();
		}
		this.written++;
		this.pending = null;
	}

	private void caughtUp() throws IOException {
		if (this.segment != null) {
			this.segment.flush();
		}
		this.flushedPosition = this.reader.position();
		if (this.clock.millis() - this.lastRetentionMillis >= RETENTION_EVERY_MILLIS) {
			applyRetention();
		}
	}

	private void applyRetention() {
		this.lastRetentionMillis = this.clock.millis();
		this.retention.apply((this.segment != null) ? this.segment.segment() : null, this.lastRetentionMillis);
	}

	private void closeSegment() throws IOException {
		SegmentWriter closing = this.segment;
		this.segment = null;
		if (closing != null) {
			closing.close();
		}
	}

}
