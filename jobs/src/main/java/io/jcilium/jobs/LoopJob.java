package io.jcilium.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/**
 * A long-running job on a thread of its own, named after the job: its body runs again and
 * again until the job stops, at once after it returns and after the backoff when it
 * fails. A body that blocks (a stream, an accept loop) leaves it when interrupted.
 */
final class LoopJob extends Job {

	private final JobTask body;

	private final ThreadFactory threads;

	private final Sleeper sleeper;

	// Guarded by this.
	private Thread thread;

	LoopJob(String name, JobTask body, Backoff backoff, ThreadFactory threads, Sleeper sleeper, Clock clock,
			RandomGenerator random) {
		super(name, backoff, clock, random);
		this.body = body;
		this.threads = threads;
		this.sleeper = sleeper;
	}

	@Override
	public synchronized void start(Duration firstRunAfter) {
		if (this.thread != null) {
			return;
		}
		Thread started = this.threads.newThread(() -> loop(firstRunAfter));
		started.setName(name());
		this.thread = started;
		started.start();
	}

	@Override
	public void stop() {
		Thread stopping;
		synchronized (this) {
			stopping = this.thread;
			this.thread = null;
		}
		if (stopping == null) {
			return;
		}
		stopping.interrupt();
		if (stopping != Thread.currentThread()) {
			try {
				// Bounded: a body that ignores interrupts must not hang the caller's
				// shutdown.
				stopping.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.thread != null;
	}

	/** Nothing to ask for: a loop job runs all the time. */
	@Override
	public void trigger() {
	}

	private void loop(Duration firstRunAfter) {
		if (!firstRunAfter.isZero()) {
			try {
				this.sleeper.sleep(firstRunAfter);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
		while (current()) {
			if (!runRecorded(this.body) && current()) {
				try {
					this.sleeper.sleep(backoffDelay());
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}
	}

	private synchronized boolean current() {
		return this.thread == Thread.currentThread() && !Thread.currentThread().isInterrupted();
	}

}
