package io.jcilium.ipam.multipool;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Pools for multi-pool IPAM, the configuration-file twin of {@code CiliumPodIPPool}
 * ({@code spec.ipv4.cidrs}, {@code spec.ipv4.maskSize}, ...).
 *
 * @param pools pools by name
 */
@ConfigurationProperties("jcilium.ipam.multi-pool")
public record MultiPoolProperties(Map<String, PoolProperties> pools) {

	public MultiPoolProperties {
		pools = (pools != null) ? Map.copyOf(pools) : Map.of();
	}

	/**
	 * One pool.
	 *
	 * @param ipv4Cidrs IPv4 CIDRs of the pool
	 * @param ipv4MaskSize prefix length of each IPv4 block handed to a node
	 * @param ipv6Cidrs IPv6 CIDRs of the pool
	 * @param ipv6MaskSize prefix length of each IPv6 block handed to a node
	 */
	public record PoolProperties(List<String> ipv4Cidrs, @DefaultValue("24") int ipv4MaskSize, List<String> ipv6Cidrs,
			@DefaultValue("120") int ipv6MaskSize) {

	}

}
