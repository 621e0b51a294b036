package io.jcilium.jobs.lifecycle;

import io.jcilium.jobs.Job;

import org.springframework.context.SmartLifecycle;

/**
 * Starts a job with the Spring application context and stops it before the context
 * closes, in the given phase.
 */
public final class JobLifecycle implements SmartLifecycle {

	private final Job job;

	private final int phase;

	/**
	 * A job started in the default phase.
	 * @param job the job
	 */
	public JobLifecycle(Job job) {
		this(job, DEFAULT_PHASE);
	}

	/**
	 * @param job the job
	 * @param phase the phase it starts in (lower starts earlier, stops later)
	 */
	public JobLifecycle(Job job, int phase) {
		this.job = job;
		this.phase = phase;
	}

	@Override
	public void start() {
		this.job.start();
	}

	@Override
	public void stop() {
		this.job.stop();
	}

	@Override
	public boolean isRunning() {
		return this.job.isRunning();
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
