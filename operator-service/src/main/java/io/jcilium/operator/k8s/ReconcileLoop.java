package io.jcilium.operator.k8s;

import java.time.Duration;

import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;

/**
 * A named reconcile job running one pass at a time: every {@link #trigger()} (an informer
 * event) coalesces into at most one pending pass, a periodic resync runs a pass even
 * without events (level-triggered: a missed event is repaired at the next resync), and a
 * failing pass is retried with exponential backoff with jitter. A periodic {@link Job} on
 * a thread of its own, as each loop had before.
 */
public final class ReconcileLoop {

	/** From 200 ms, doubling up to 30 s, as the API server's clients usually do. */
	static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

	private final Jobs jobs;

	private final Job job;

	/**
	 * Create a loop; nothing runs until {@link #start()}.
	 * @param name the job's name (thread name, logs, metrics)
	 * @param pass one reconcile pass
	 * @param resync how often to run a pass without events
	 */
	public ReconcileLoop(String name, Runnable pass, Duration resync) {
		this.jobs = new Jobs(name, 1);
		this.job = this.jobs.periodic(name, resync, BACKOFF, pass::run);
	}

	public void start() {
		this.job.start();
	}

	public void stop() {
		this.job.stop();
	}

	public boolean isRunning() {
		return this.job.isRunning();
	}

	/**
	 * Ask for a pass soon; several triggers before it runs make one pass.
	 */
	public void trigger() {
		this.job.trigger();
	}

	/**
	 * The last pass's error, for health reporting.
	 * @return the message, or {@code null} if the last pass succeeded
	 */
	public String lastError() {
		return this.job.status().lastError().orElse(null);
	}

	public long passes() {
		return this.job.status().runs() - this.job.status().failures();
	}

	/** The job behind the loop, for metrics and health. */
	public Job job() {
		return this.job;
	}

}
