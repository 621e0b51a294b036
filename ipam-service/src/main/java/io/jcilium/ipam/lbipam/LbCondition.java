package io.jcilium.ipam.lbipam;

/**
 * A condition to write on a service or a pool, modelled on upstream's LB-IPAM conditions
 * ({@code cilium.io/IPAMRequestSatisfied} on services, {@code cilium.io/PoolConflict} on
 * pools).
 *
 * @param type the condition type
 * @param status {@code True} or {@code False}
 * @param reason a machine-readable reason
 * @param message what happened, naming the addresses and pools involved
 */
public record LbCondition(String type, String status, String reason, String message) {

	public static final String REQUEST_SATISFIED = "cilium.io/IPAMRequestSatisfied";

	public static final String POOL_CONFLICT = "cilium.io/PoolConflict";

	static LbCondition satisfied(String message) {
		return new LbCondition(REQUEST_SATISFIED, "True", "satisfied", message);
	}

	static LbCondition unsatisfied(String reason, String message) {
		return new LbCondition(REQUEST_SATISFIED, "False", reason, message);
	}

}
