package io.jcilium.relay.jobs;

import io.jcilium.jobs.Job;

import org.springframework.context.SmartLifecycle;

/**
 * Starts a job with the application context and stops it before the context closes.
 */
public final class JobLifecycle implements SmartLifecycle {

	private final Job job;

	public JobLifecycle(Job job) {
		this.job = job;
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

}
