package io.jcilium.agent.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the orphan reconciliation of an {@link EndpointManager} as its job does, for tests
 * outside this package: one pass, with no Kubernetes connection (so no address is proved
 * unused) and no grace period.
 */
public final class OrphanPasses {

	private OrphanPasses() {
	}

	/** One pass over the manager's held orphans and quarantined endpoint ids. */
	public static void run(EndpointManager manager) {
		new OrphanReconciler(manager.orphans(), Optional::empty, Clock.systemUTC(), Duration.ZERO,
				manager.orphanRelease()::release, manager.quarantinedIds())
			.reconcile();
	}

	/** The endpoint ids of quarantined state files the manager keeps reserved. */
	public static Set<Integer> quarantinedIds(EndpointManager manager) {
		return manager.quarantinedIds().all();
	}

}
