package io.jcilium.operator.lbipam;

/**
 * A status condition LB-IPAM sets, with upstream's types and reasons.
 *
 * @param type e.g. {@value #SERVICE_REQUEST_SATISFIED}
 * @param status {@code True}, {@code False} or {@code Unknown}
 * @param reason e.g. {@code no_pool}
 * @param message what happened, for the user
 */
public record LbCondition(String type, String status, String reason, String message) {

	/** Set on each Service LB-IPAM handles. */
	public static final String SERVICE_REQUEST_SATISFIED = "cilium.io/IPAMRequestSatisfied";

	/** Set on each pool: whether it overlaps an older pool. */
	public static final String POOL_CONFLICT = "cilium.io/PoolConflict";

	/** Pool counter: addresses in the pool's blocks. */
	public static final String POOL_IPS_TOTAL = "cilium.io/IPsTotal";

	/** Pool counter: addresses still free. */
	public static final String POOL_IPS_AVAILABLE = "cilium.io/IPsAvailable";

	/** Pool counter: addresses given to services. */
	public static final String POOL_IPS_USED = "cilium.io/IPsUsed";

	static LbCondition satisfied() {
		return new LbCondition(SERVICE_REQUEST_SATISFIED, "True", "satisfied", "");
	}

	static LbCondition unsatisfied(String reason, String message) {
		return new LbCondition(SERVICE_REQUEST_SATISFIED, "False", reason, message);
	}

	static LbCondition counter(String type, Object value) {
		return new LbCondition(type, "Unknown", "noreason", String.valueOf(value));
	}

	public boolean isTrue() {
		return "True".equals(this.status);
	}

}
