package io.jcilium.operator.node;

import java.util.Arrays;

/**
 * Upstream's IPAM modes, as far as the node lifecycle cares: whether a node gets a pod
 * CIDR from the cluster pool.
 */
public enum IpamMode {

	/** Every CiliumNode gets pod CIDRs from ipam-service's cluster pool. */
	CLUSTER_POOL("cluster-pool"),

	/** No cluster pool: nodes get blocks of CiliumPodIPPools in spec.ipam.pools. */
	MULTI_POOL("multi-pool");

	private final String value;

	IpamMode(String value) {
		this.value = value;
	}

	/** The mode's name in configuration, e.g. {@code multi-pool}. */
	public String value() {
		return this.value;
	}

	/**
	 * @param value {@code cluster-pool} or {@code multi-pool}
	 * @return the mode
	 * @throws IllegalArgumentException for any other value, naming the valid ones
	 */
	public static IpamMode of(String value) {
		return Arrays.stream(values())
			.filter((mode) -> mode.value.equals(value))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"jcilium.operator.node.ipam-mode=" + value + " is no IPAM mode: use cluster-pool or multi-pool"));
	}

}
