package io.jcilium.agent.l2announce;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The level-triggered core: each run plans from the inputs as they are now, takes part in
 * the elections of exactly the planned services, and has the responder answer for the
 * addresses of the services this node holds, on their devices. A policy that cannot be
 * applied is reported and ignored; the others stay in force.
 */
public final class L2Announcer {

	private static final Logger log = LoggerFactory.getLogger(L2Announcer.class);

	private final Supplier<L2Inputs> inputs;

	private final Elections elections;

	private final L2Responder responder;

	private volatile List<String> errors = List.of();

	/**
	 * @param inputs the current inputs; throws while they are incomplete (caches not
	 * synced), so nothing is withdrawn on a half-known state
	 * @param elections the per-service Lease elections
	 * @param responder the kernel responder
	 */
	public L2Announcer(Supplier<L2Inputs> inputs, Elections elections, L2Responder responder) {
		this.inputs = inputs;
		this.elections = elections;
		this.responder = responder;
	}

	/**
	 * One pass: plan, elections, responder.
	 */
	public synchronized void reconcile() {
		L2Plan plan = L2AnnouncementPlanner.plan(this.inputs.get());
		if (!plan.errors().equals(this.errors)) {
			plan.errors().forEach((error) -> log.warn("{}", error));
		}
		this.errors = plan.errors();
		this.elections.retain(plan.services().keySet());
		this.responder.sync(plan.entries(this.elections.held()));
	}

	/**
	 * Leaves every election and stops answering.
	 */
	public synchronized void stop() {
		this.elections.leaveAll();
		this.responder.sync(Set.of());
	}

	/**
	 * @return why policies were ignored at the last run, one line each
	 */
	public List<String> errors() {
		return this.errors;
	}

	/**
	 * What the announcer needs of the elections ({@link LeaseElections} for real).
	 */
	public interface Elections {

		/**
		 * Compete for exactly these services.
		 * @param services the services
		 */
		void retain(Set<AnnouncedService> services);

		/**
		 * @return the services this node holds
		 */
		Set<AnnouncedService> held();

		/**
		 * Leave every election.
		 */
		void leaveAll();

	}

}
