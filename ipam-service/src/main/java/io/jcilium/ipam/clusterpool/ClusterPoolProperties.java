package io.jcilium.ipam.clusterpool;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cluster CIDRs and per-node mask sizes, like upstream's
 * {@code cluster-pool-ipv4-cidr}/{@code cluster-pool-ipv4-mask-size} and their IPv6
 * twins. Defaults are upstream's: {@code 10.0.0.0/8} in /24 blocks, IPv6 off.
 *
 * @param ipv4Cidrs cluster IPv4 CIDRs
 * @param ipv4MaskSize prefix length of each node's IPv4 pod CIDR
 * @param ipv6Cidrs cluster IPv6 CIDRs (none: IPv6 disabled)
 * @param ipv6MaskSize prefix length of each node's IPv6 pod CIDR
 */
@ConfigurationProperties("jcilium.ipam.cluster-pool")
public record ClusterPoolProperties(@DefaultValue("10.0.0.0/8") List<String> ipv4Cidrs,
		@DefaultValue("24") int ipv4MaskSize, List<String> ipv6Cidrs, @DefaultValue("120") int ipv6MaskSize) {

}
