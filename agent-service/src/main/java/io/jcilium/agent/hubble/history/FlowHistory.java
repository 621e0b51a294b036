package io.jcilium.agent.hubble.history;

import java.time.Clock;
import java.time.Duration;

import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Jobs;

import org.springframework.context.SmartLifecycle;

/**
 * This agent's durable flow history: the job {@value #JOB} appending the ring to
 * segments, and readers for {@code GetFlows} calls with {@code since}. Each agent run
 * writes its own segments, numbered after those of earlier runs, so a restarted agent
 * serves what the previous run saw, then what it sees itself.
 */
public final class FlowHistory implements SmartLifecycle {

	static final String JOB = "hubble-history";

	private final HistorySettings settings;

	private final FlowRing ring;

	private final long boot;

	private final HistoryWriter writer;

	private Jobs jobs;

	/**
	 * @param settings where and how much
	 * @param ring the ring the observer writes
	 * @param clock retention's time
	 */
	public FlowHistory(HistorySettings settings, FlowRing ring, Clock clock) {
		this.settings = settings;
		this.ring = ring;
		// After every earlier run, also when the clock went back.
		long last = Segment.list(settings.directory()).stream().mapToLong(Segment::boot).max().orElse(0);
		this.boot = Math.max(last + 1, clock.millis());
		this.writer = new HistoryWriter(settings, this.boot, ring, clock);
	}

	/**
	 * The history from a time on, for one {@code GetFlows} call.
	 * @param sinceNanos epoch nanoseconds
	 * @return its reader, to be closed
	 */
	public HistoryReader read(long sinceNanos) {
		return new HistoryReader(Segment.list(this.settings.directory()), this.boot, sinceNanos, this.ring);
	}

	/** Events appended since start. */
	public long written() {
		return this.writer.written();
	}

	/** Events the ring overwrote before the history could keep them, since start. */
	public long lost() {
		return this.writer.lost();
	}

	/**
	 * The ring position the history has reached: every earlier event is on disk (handed
	 * to the operating system).
	 */
	public long position() {
		return this.writer.flushedPosition();
	}

	/** Bytes on disk now, every segment together. */
	public long sizeBytes() {
		return Segment.list(this.settings.directory()).stream().mapToLong(Segment::sizeBytes).sum();
	}

	@Override
	public synchronized void start() {
		if (this.jobs != null) {
			return;
		}
		this.jobs = new Jobs(JOB, 1);
		this.jobs
			.loop(JOB, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)), this.writer::runUntilStopped)
			.start();
	}

	/** Stops the writer, which syncs and closes its segment. */
	@Override
	public synchronized void stop() {
		if (this.jobs != null) {
			this.jobs.close();
			this.jobs = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.jobs != null;
	}

}
