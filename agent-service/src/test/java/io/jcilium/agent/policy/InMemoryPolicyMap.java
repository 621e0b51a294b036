package io.jcilium.agent.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.engine.PolicyDelta;

/**
 * An endpoint policy map in memory, holding entries as the policy cell hands them over,
 * recording how (whole policy or change) and on which thread, and failing when told.
 */
final class InMemoryPolicyMap implements EndpointPolicyMap {

	final Set<MapEntry> entries = new HashSet<>();

	boolean ingressEnforced;

	boolean egressEnforced;

	/** "replace" or "apply +added -removed", in order. */
	final List<String> operations = new ArrayList<>();

	final List<Thread> writers = new ArrayList<>();

	volatile boolean failing;

	/** A permit per write refused while failing, for tests to wait on. */
	final Semaphore refused = new Semaphore(0);

	@Override
	public synchronized int replace(EndpointPolicy policy) {
		check();
		int writes = changed(policy.entries());
		this.entries.clear();
		this.entries.addAll(policy.entries());
		this.ingressEnforced = policy.ingressEnforced();
		this.egressEnforced = policy.egressEnforced();
		this.operations.add("replace");
		return writes;
	}

	@Override
	public synchronized int apply(PolicyDelta.EndpointChange change) {
		check();
		this.entries.removeAll(change.removed());
		this.entries.addAll(change.added());
		this.ingressEnforced = change.ingressEnforced();
		this.egressEnforced = change.egressEnforced();
		this.operations.add("apply +" + change.added().size() + " -" + change.removed().size());
		return change.added().size() + change.removed().size();
	}

	synchronized Set<MapEntry> entries() {
		return Set.copyOf(this.entries);
	}

	private void check() {
		this.writers.add(Thread.currentThread());
		if (this.failing) {
			this.refused.release();
			throw new IllegalStateException("map write failed (injected)");
		}
	}

	private int changed(Set<MapEntry> next) {
		Set<MapEntry> difference = new HashSet<>(next);
		difference.removeAll(this.entries);
		Set<MapEntry> gone = new HashSet<>(this.entries);
		gone.removeAll(next);
		return difference.size() + gone.size();
	}

}
