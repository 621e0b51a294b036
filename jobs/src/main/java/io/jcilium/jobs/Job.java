package io.jcilium.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * A named background job: what it runs, how it backs off after failures, and the record
 * of its runs. Created by {@link Jobs}, started and stopped explicitly; its status
 * survives a stop, so a job restarted (e.g. on regaining leadership) keeps its history.
 */
public abstract sealed class Job permits ScheduledJob, LoopJob {

	private final String name;

	private final JobRecord record;

	private final Backoff backoff;

	private final RandomGenerator random;

	Job(String name, Backoff backoff, Clock clock, RandomGenerator random) {
		this.name = name;
		this.backoff = backoff;
		this.random = random;
		this.record = new JobRecord(name, clock);
	}

	public final String name() {
		return this.name;
	}

	/** Starts the job, its first run at once; starting a running job does nothing. */
	public final void start() {
		start(Duration.ZERO);
	}

	/**
	 * Starts the job, its first run after a delay (e.g. a garbage collector that should
	 * not run the moment a replica starts); starting a running job does nothing.
	 * @param firstRunAfter how long to wait before the first run
	 */
	public abstract void start(Duration firstRunAfter);

	/**
	 * Stops the job: no new run starts, and a run under way is interrupted. Stopping a
	 * stopped job does nothing.
	 */
	public abstract void stop();

	/** Whether the job is started and neither stopped nor finished. */
	public abstract boolean isRunning();

	/**
	 * Asks for a run soon. Several requests before it starts make one run; a request
	 * while a run is under way makes one more run after it. A failing job runs at once
	 * too (the request says something changed) but keeps its failures in a row, so the
	 * next failure backs off longer.
	 */
	public abstract void trigger();

	/**
	 * Records progress made inside a run that is not over yet (e.g. a stream that has
	 * delivered its snapshot and now stays open): the job is no longer failing and its
	 * backoff starts over.
	 */
	public final void progressed() {
		this.record.progressed();
	}

	public final JobStatus status() {
		return this.record.status(isRunning());
	}

	final JobRecord record() {
		return this.record;
	}

	/**
	 * Runs the task once and records the outcome.
	 * @return whether it succeeded
	 */
	final boolean runRecorded(JobTask task) {
		Thread thread = Thread.currentThread();
		String threadName = thread.getName();
		thread.setName(this.name);
		try {
			task.run();
			this.record.succeeded();
			return true;
		}
		catch (InterruptedException ex) {
			// Stopped under way: not a failure of the work.
			thread.interrupt();
			return false;
		}
		catch (Exception ex) {
			this.record.failed(ex);
			return false;
		}
		finally {
			thread.setName(threadName);
		}
	}

	/** The delay before the next run after the failures in a row so far. */
	final Duration backoffDelay() {
		return this.backoff.delay(Math.max(1, this.record.failuresInARow()), this.random);
	}

}
