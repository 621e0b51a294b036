package io.jcilium.agent.endpoint;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what the lifecycle asks of the datapath (endpoint id and identity per
 * regeneration, guards with whether policy was synced) and can be told to fail
 * regenerations or guards.
 */
public final class RecordingEndpointDatapath implements EndpointDatapath {

	public final List<long[]> regenerated = new CopyOnWriteArrayList<>();

	public final List<Integer> restored = new CopyOnWriteArrayList<>();

	/** Endpoint ids guarded, negative when the policy inputs had not synced. */
	public final List<Integer> guarded = new CopyOnWriteArrayList<>();

	public final List<Integer> removed = new CopyOnWriteArrayList<>();

	/**
	 * Endpoint ids whose leftovers were removed after their state file was quarantined.
	 */
	public final List<Integer> removedOrphaned = new CopyOnWriteArrayList<>();

	public volatile String failure;

	public volatile String guardFailure;

	/** Run inside each guard before it is recorded (e.g. to hold the ADD there). */
	public volatile Runnable duringGuard = () -> {
	};

	/**
	 * Regenerations and guards in the order they ran: "guard id" or "regenerate id
	 * identity".
	 */
	public final List<String> calls = new CopyOnWriteArrayList<>();

	@Override
	public void regenerate(Endpoint endpoint) {
		if (this.failure != null) {
			throw new IllegalStateException(this.failure);
		}
		this.regenerated.add(new long[] { endpoint.id(), endpoint.identity() });
		this.calls.add("regenerate " + endpoint.id() + " " + endpoint.identity());
	}

	@Override
	public void guard(Endpoint endpoint, boolean policyInputsSynced) {
		if (this.guardFailure != null) {
			throw new IllegalStateException(this.guardFailure);
		}
		this.duringGuard.run();
		this.guarded.add(policyInputsSynced ? endpoint.id() : -endpoint.id());
		this.calls.add("guard " + endpoint.id());
	}

	@Override
	public void restore(Endpoint endpoint) {
		this.restored.add(endpoint.id());
	}

	@Override
	public void remove(Endpoint endpoint) {
		this.removed.add(endpoint.id());
	}

	@Override
	public void removeOrphaned(int endpointId) {
		this.removedOrphaned.add(endpointId);
	}

	public long regenerationsOf(int endpointId) {
		return this.regenerated.stream().filter((entry) -> entry[0] == endpointId).count();
	}

}
