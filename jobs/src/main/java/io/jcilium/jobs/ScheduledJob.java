package io.jcilium.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A job whose runs a {@link Scheduler} starts: periodic (runs again every interval), or
 * retried until it succeeds once (no interval). Never two runs at the same time.
 */
final class ScheduledJob extends Job {

	private final JobTask task;

	private final Supplier<Duration> interval;

	private final Scheduler scheduler;

	// Guarded by this.
	private boolean running;

	private long generation;

	private Scheduler.Cancellable next;

	private boolean underWay;

	private boolean again;

	/**
	 * @param interval time between runs, asked after each successful run, or {@code null}
	 * to stop after the first success
	 */
	ScheduledJob(String name, JobTask task, Supplier<Duration> interval, Backoff backoff, Scheduler scheduler,
			Clock clock, RandomGenerator random) {
		super(name, backoff, clock, random);
		this.task = task;
		this.interval = interval;
		this.scheduler = scheduler;
	}

	@Override
	public synchronized void start(Duration firstRunAfter) {
		if (this.running) {
			return;
		}
		this.running = true;
		this.generation++;
		scheduleNext(firstRunAfter);
	}

	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.generation++;
		this.again = false;
		if (this.next != null) {
			this.next.cancel();
			this.next = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	@Override
	public synchronized void trigger() {
		if (!this.running) {
			return;
		}
		if (this.underWay) {
			this.again = true;
			return;
		}
		// Also while backing off: an event says the world changed (e.g. an informer has
		// synced), as in controller-runtime, where an event bypasses the rate limiter.
		// The
		// failures in a row stay counted, so a further failure backs off longer.
		scheduleNext(Duration.ZERO);
	}

	private void scheduleNext(Duration delay) {
		if (this.next != null) {
			this.next.cancel();
		}
		long scheduledGeneration = this.generation;
		this.next = this.scheduler.schedule(() -> run(scheduledGeneration), delay);
	}

	private void run(long scheduledGeneration) {
		synchronized (this) {
			if (!this.running || scheduledGeneration != this.generation) {
				return;
			}
			if (this.underWay) {
				// Restarted while a run of before the stop is still under way: after it.
				this.again = true;
				return;
			}
			this.underWay = true;
			this.again = false;
			this.next = null;
		}
		boolean succeeded = false;
		try {
			succeeded = runRecorded(this.task);
		}
		finally {
			synchronized (this) {
				this.underWay = false;
				if (this.running && scheduledGeneration != this.generation) {
					if (this.again) {
						scheduleNext(Duration.ZERO);
					}
				}
				else if (this.running) {
					if (!succeeded) {
						// An event during the failed run bypasses the backoff, as one
						// during the backoff does (trigger()): the world it failed on
						// has changed since.
						scheduleNext(this.again ? Duration.ZERO : backoffDelay());
					}
					else if (this.again) {
						scheduleNext(Duration.ZERO);
					}
					else if (this.interval != null) {
						scheduleNext(this.interval.get());
					}
					else {
						this.running = false;
					}
				}
			}
		}
	}

}
