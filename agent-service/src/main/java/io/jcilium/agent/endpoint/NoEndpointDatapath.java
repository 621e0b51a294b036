package io.jcilium.agent.endpoint;

/**
 * Stands in where no eBPF datapath runs ({@code jcilium.datapath.enabled=false}, or none
 * could be wired): nothing would enforce a pod's policy, so no endpoint is ever guarded
 * or {@code ready}. CNI ADD fails with the reason, and a restored endpoint stays
 * {@code not-ready} with it: fail closed, never a pod that looks policed and is not.
 */
public final class NoEndpointDatapath implements EndpointDatapath {

	/** Why, as endpoints and CNI errors say it. */
	public static final String REASON = "no datapath: jcilium.datapath.enabled=false, nothing enforces policy for this pod";

	@Override
	public void regenerate(Endpoint endpoint) {
		throw new IllegalStateException(REASON);
	}

	@Override
	public void guard(Endpoint endpoint, boolean policyInputsSynced) {
		throw new IllegalStateException(REASON);
	}

	/** Nothing was ever attached. */
	@Override
	public void remove(Endpoint endpoint) {
	}

	/** Nothing was ever pinned. */
	@Override
	public void removeOrphaned(int endpointId) {
	}

}
