package io.jcilium.jobs;

import java.time.Duration;

/**
 * Runs tasks after a delay. The real one is {@link ExecutorScheduler}; tests use a manual
 * one whose time only moves when they say so.
 */
public interface Scheduler extends AutoCloseable {

	/**
	 * Runs a task once after a delay.
	 * @param task the task
	 * @param delay how long to wait first, zero for at once
	 * @return a handle that cancels the task if it has not started yet
	 */
	Cancellable schedule(Runnable task, Duration delay);

	/** Stops running tasks; those not started yet never run. */
	@Override
	void close();

	/** A scheduled task not yet run. */
	@FunctionalInterface
	interface Cancellable {

		void cancel();

	}

}
