package io.jcilium.ipam.lbipam;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.ipam.block.Family;

/**
 * A {@code type: LoadBalancer} service as LB-IPAM needs it.
 *
 * @param key {@code namespace/name}
 * @param labels the service's labels, for pool selectors
 * @param requestedIps {@code spec.loadBalancerIP} and the {@code lbipam.cilium.io/ips}
 * annotation; when present, exactly these and no others
 * @param sharingKey the {@code lbipam.cilium.io/sharing-key} annotation, or null
 * @param ports {@code protocol/port} pairs, e.g. {@code TCP/80}; services sharing an IP
 * must not have one in common
 * @param families the families wanted ({@code spec.ipFamilies})
 */
public record LbService(String key, Map<String, String> labels, List<String> requestedIps, String sharingKey,
		Set<String> ports, Set<Family> families) {

	/** The annotation naming requested addresses, comma separated. */
	public static final String IPS_ANNOTATION = "lbipam.cilium.io/ips";

	/** The annotation letting services with the same value share an address. */
	public static final String SHARING_KEY_ANNOTATION = "lbipam.cilium.io/sharing-key";

	/** An IPv4 service with no requests. */
	public static LbService of(String key, String... ports) {
		return new LbService(key, Map.of(), List.of(), null, Set.of(ports), Set.of(Family.IPV4));
	}

}
