package io.jcilium.agent.service.lb;

/**
 * How a frontend is reached, with its bit in the master entry's flags ({@code SVC_F_*} in
 * {@code bpf/lib/lb_types.h}).
 */
public enum FrontendKind {

	CLUSTER_IP(0x0001, "ClusterIP"),

	NODE_PORT(0x0002, "NodePort"),

	EXTERNAL_IP(0x0004, "ExternalIPs"),

	LOAD_BALANCER(0x0008, "LoadBalancer");

	/** {@code SVC_F_AFFINITY}: sessionAffinity ClientIP. */
	public static final int AFFINITY = 0x0010;

	/** {@code SVC_F_EXT_LOCAL}: externalTrafficPolicy Local. */
	public static final int EXT_LOCAL = 0x0020;

	/** {@code SVC_F_INT_LOCAL}: internalTrafficPolicy Local. */
	public static final int INT_LOCAL = 0x0040;

	/** {@code SVC_F_TWO_SCOPES}: in-cluster clients use the internal-scope entry. */
	public static final int TWO_SCOPES = 0x0080;

	private final int flag;

	private final String displayName;

	FrontendKind(int flag, String displayName) {
		this.flag = flag;
		this.displayName = displayName;
	}

	public int flag() {
		return this.flag;
	}

	/**
	 * Upstream's name of the kind ({@code cilium service list}'s Service Type column).
	 * @return e.g. "ClusterIP"
	 */
	public String displayName() {
		return this.displayName;
	}

	/**
	 * Whether traffic to this kind of frontend counts as external (externalTrafficPolicy
	 * applies to it).
	 * @return false for ClusterIP only
	 */
	public boolean isExternal() {
		return this != CLUSTER_IP;
	}

}
