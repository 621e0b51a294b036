package io.jcilium.agent.datapath.events;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.LibBpfBindings;
import io.jcilium.agent.datapath.libbpf.LibBpfException;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the datapath's events ring buffer and hands decoded events to a consumer. The
 * reading runs as the loop job {@value #JOB}: the agent's datapath lifecycle runs
 * {@link #readUntilStopped(Job)} in its own job; {@link #start()} runs it in a job of
 * this reader's own (tools and tests). A failed poll ends the run and the job tries again
 * after its backoff. The consumer runs on the reader thread and must be quick (hand off
 * to a queue for anything slow); a consumer that throws loses that event, not the reader.
 * Given the datapath's {@code events_lost} counter, the reader also reports, at most
 * every {@value RingBufferLosses#CHECK_MILLIS} ms, how many events the kernel could not
 * put into a full ring since the last report (a BPF ring buffer tells its reader nothing
 * of them).
 */
public final class EventReader implements AutoCloseable {

	/** The name of the job that reads the ring buffer. */
	public static final String JOB = "datapath-events";

	/** Delays after failed polls. */
	public static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));

	private static final Logger log = LoggerFactory.getLogger(EventReader.class);

	private static final int POLL_TIMEOUT_MS = 100;

	private static final int EINTR = 4;

	private final Libbpf libbpf;

	private final LibBpfBindings lib;

	private final Pointer ring;

	private final Consumer<DatapathEvent> consumer;

	// Held in a field: jnr keeps only a weak reference to callbacks, a collected one
	// crashes the poll.
	private final LibBpfBindings.RingBufferSample sample;

	private final AtomicLong eventsRead = new AtomicLong();

	private final AtomicLong eventsFailed = new AtomicLong();

	// Guarded by itself: a poll and freeing the ring never overlap.
	private final Object ringLock = new Object();

	private boolean freed;

	private final RingBufferLosses losses;

	// Only when started on its own.
	private Jobs ownJobs;

	/**
	 * Sets up reading from a ring buffer map, through the library the map was opened
	 * with; call {@link #start()} or {@link #readUntilStopped(Job)} to begin.
	 * @param events the ring buffer map
	 * @param consumer receives each event on the reader thread
	 */
	public EventReader(BpfMap events, Consumer<DatapathEvent> consumer) {
		this(events, consumer, null, (lost) -> {
		});
	}

	/**
	 * Sets up reading from a ring buffer map and reporting its losses; call
	 * {@link #start()} or {@link #readUntilStopped(Job)} to begin.
	 * @param events the ring buffer map
	 * @param consumer receives each event on the reader thread
	 * @param lostCounter the per-CPU count of events the ring had no room for, or null
	 * @param lostConsumer receives, on the reader thread, how many more were lost since
	 * the reader was created or last reported
	 */
	public EventReader(BpfMap events, Consumer<DatapathEvent> consumer, BpfMap lostCounter, LongConsumer lostConsumer) {
		this.losses = new RingBufferLosses(lostCounter, lostConsumer);
		this.libbpf = events.libbpf();
		this.lib = this.libbpf.bindings();
		this.consumer = consumer;
		this.sample = this::onSample;
		Pointer created = this.lib.ring_buffer__new(events.fd(), this.sample, null, null);
		if (created == null || created.address() == 0) {
			throw new LibBpfException(
					"ring_buffer__new on map " + events.name() + " failed (is it a ring buffer map?)");
		}
		this.ring = created;
	}

	/** Reads on a loop job of this reader's own, until {@link #close()}. */
	public synchronized void start() {
		if (this.ownJobs != null) {
			return;
		}
		Jobs jobs = new Jobs(JOB, 1);
		this.ownJobs = jobs;
		jobs.loop(JOB, BACKOFF, () -> readUntilStopped(jobs.job(JOB).orElseThrow())).start();
	}

	/**
	 * Polls the ring buffer until the calling thread is interrupted (the job stopped) or
	 * this reader is closed; the body of the job {@value #JOB}.
	 * @param job the job running this, told of progress after a failed poll
	 * @throws InterruptedException when stopped or closed
	 * @throws LibBpfException when a poll fails
	 */
	public void readUntilStopped(Job job) throws InterruptedException {
		boolean progressed = false;
		while (!Thread.currentThread().isInterrupted()) {
			int result;
			synchronized (this.ringLock) {
				if (this.freed) {
					throw new InterruptedException("datapath event reader closed");
				}
				result = this.lib.ring_buffer__poll(this.ring, POLL_TIMEOUT_MS);
			}
			if (result < 0 && result != -EINTR) {
				// Logged and counted by the job, which polls again after its backoff.
				throw new LibBpfException("ring_buffer__poll failed: " + this.libbpf.describe(-result));
			}
			this.losses.reportNew();
			if (!progressed && job.status().failing()) {
				// Reading again after a failure: the next failure backs off from the
				// start.
				job.progressed();
				progressed = true;
			}
		}
		throw new InterruptedException("datapath event reader stopped");
	}

	/**
	 * Events the kernel could not write into the ring, summed over CPUs.
	 * @return the count since the map was created, 0 without a counter
	 */
	public long eventsLostInKernel() {
		return this.losses.total();
	}

	public long eventsRead() {
		return this.eventsRead.get();
	}

	public long eventsFailed() {
		return this.eventsFailed.get();
	}

	private int onSample(Pointer ctx, Pointer data, long size) {
		try {
			byte[] bytes = new byte[(int) size];
			data.get(0, bytes, 0, bytes.length);
			this.consumer.accept(DatapathEvent.decode(bytes));
			this.eventsRead.incrementAndGet();
		}
		catch (RuntimeException ex) {
			this.eventsFailed.incrementAndGet();
			log.debug("datapath event dropped by its consumer", ex);
		}
		// Non-zero would abort the poll; one bad event must not stall the rest.
		return 0;
	}

	/**
	 * Stops this reader's own job if it was started, and frees the ring once no poll is
	 * under way (a job of someone else's should be stopped first).
	 */
	@Override
	public void close() {
		Jobs own;
		synchronized (this) {
			own = this.ownJobs;
			this.ownJobs = null;
		}
		if (own != null) {
			own.close();
		}
		synchronized (this.ringLock) {
			if (!this.freed) {
				this.freed = true;
				this.lib.ring_buffer__free(this.ring);
			}
		}
	}

}
