package io.jcilium.agent.endpoint;

import java.time.Duration;

import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;

import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link OrphanReconciler} as the {@value #JOB} job: every interval, and at once
 * when this node's pods change while orphans are held. Starts after the endpoints are
 * restored (which is when orphans are found).
 */
final class OrphanReconcileJob implements SmartLifecycle {

	static final String JOB = "endpoint-orphan-reconcile";

	/** After a failed run (a veth that cannot be deleted): 1 s doubling to 1 min. */
	static final Backoff RETRY = Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1));

	private final Job job;

	private final HeldOrphans orphans;

	private volatile boolean running;

	OrphanReconcileJob(Jobs jobs, Duration interval, OrphanReconciler reconciler, HeldOrphans orphans) {
		this.orphans = orphans;
		this.job = jobs.periodic(JOB, interval, RETRY, reconciler::reconcile);
	}

	/** This node's pods changed: a claim may have gone. */
	void podsChanged() {
		if (this.running && !this.orphans.isEmpty()) {
			this.job.trigger();
		}
	}

	@Override
	public void start() {
		this.job.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.job.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return EndpointLifecycle.PHASE + 1;
	}

}
