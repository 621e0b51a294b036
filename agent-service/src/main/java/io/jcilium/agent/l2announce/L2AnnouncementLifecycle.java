package io.jcilium.agent.l2announce;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.api.crd.v2alpha1.CiliumL2AnnouncementPolicy;
import io.jcilium.jobs.Job;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the announcer as the job {@value #JOB}: any event of a policy, a Service or this
 * node, and any Lease won or lost, triggers a run; it also runs every {@code resync}.
 * Stopping leaves the elections (see {@code release-on-stop}) and stops answering.
 */
final class L2AnnouncementLifecycle implements SmartLifecycle {

	static final String JOB = "l2-announcements";

	private final SharedIndexInformer<CiliumL2AnnouncementPolicy> policies;

	private final L2Announcer announcer;

	private final LeaseElections elections;

	private final L2Responder responder;

	private final Job job;

	L2AnnouncementLifecycle(InformerL2Inputs inputs, SharedIndexInformer<CiliumL2AnnouncementPolicy> policies,
			L2Announcer announcer, LeaseElections elections, L2Responder responder, Job job) {
		this.policies = policies;
		this.announcer = announcer;
		this.elections = elections;
		this.responder = responder;
		this.job = job;
		inputs.informers().forEach((informer) -> informer.addEventHandler(trigger()));
	}

	@Override
	public void start() {
		this.policies.run();
		this.job.start();
	}

	@Override
	public void stop() {
		this.job.stop();
		try {
			this.announcer.stop();
		}
		finally {
			this.elections.close();
			this.responder.close();
			this.policies.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.job.isRunning();
	}

	private <T> ResourceEventHandler<T> trigger() {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(T object) {
				L2AnnouncementLifecycle.this.job.trigger();
			}

			@Override
			public void onUpdate(T before, T after) {
				L2AnnouncementLifecycle.this.job.trigger();
			}

			@Override
			public void onDelete(T object, boolean finalStateUnknown) {
				L2AnnouncementLifecycle.this.job.trigger();
			}

		};
	}

}
