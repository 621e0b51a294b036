package io.jcilium.ipam.clusterpool;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The IPAM mode ({@code jcilium.ipam.mode}), upstream's {@code ipam} option:
 * {@value #CLUSTER_POOL} gives every node a pod CIDR from the cluster pool (and serves
 * multi-pool pools besides); {@value #MULTI_POOL} has no cluster pool at all, as upstream
 * has none in that mode: nodes get addresses only as blocks of pools (CiliumPodIPPools),
 * so the cluster-pool settings neither reserve address space nor hand out pod CIDRs.
 *
 * @param mode {@value #CLUSTER_POOL} or {@value #MULTI_POOL}
 */
@ConfigurationProperties("jcilium.ipam")
public record IpamModeProperties(@DefaultValue(CLUSTER_POOL) String mode) {

	/** The property naming the mode. */
	public static final String PROPERTY = "jcilium.ipam.mode";

	public static final String CLUSTER_POOL = "cluster-pool";

	public static final String MULTI_POOL = "multi-pool";

	public IpamModeProperties {
		if (!CLUSTER_POOL.equals(mode) && !MULTI_POOL.equals(mode)) {
			throw new IllegalArgumentException(
					PROPERTY + "=" + mode + " is no IPAM mode: use " + CLUSTER_POOL + " or " + MULTI_POOL);
		}
	}

}
