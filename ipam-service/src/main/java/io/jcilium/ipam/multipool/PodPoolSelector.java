package io.jcilium.ipam.multipool;

import java.util.Map;

import io.jcilium.ipam.block.Family;

/**
 * Chooses the pool a pod's address comes from, as upstream's multi-pool IPAM does: the
 * pod's annotation, else its namespace's, else {@value #DEFAULT_POOL}. The per-family
 * annotations ({@code ipam.cilium.io/ipv4-pool}, {@code ipv6-pool}) win over
 * {@code ipam.cilium.io/ip-pool} at the same level. Read once at pod creation: changing
 * the annotation of a running pod does not move it.
 */
public final class PodPoolSelector {

	public static final String IP_POOL_ANNOTATION = "ipam.cilium.io/ip-pool";

	public static final String IPV4_POOL_ANNOTATION = "ipam.cilium.io/ipv4-pool";

	public static final String IPV6_POOL_ANNOTATION = "ipam.cilium.io/ipv6-pool";

	public static final String DEFAULT_POOL = "default";

	private PodPoolSelector() {
	}

	/**
	 * @param family the family the address is for
	 * @param podAnnotations the pod's annotations (may be null)
	 * @param namespaceAnnotations the pod's namespace's annotations (may be null)
	 * @return the pool's name
	 */
	public static String select(Family family, Map<String, String> podAnnotations,
			Map<String, String> namespaceAnnotations) {
		String fromPod = fromAnnotations(family, podAnnotations);
		if (fromPod != null) {
			return fromPod;
		}
		String fromNamespace = fromAnnotations(family, namespaceAnnotations);
		return (fromNamespace != null) ? fromNamespace : DEFAULT_POOL;
	}

	private static String fromAnnotations(Family family, Map<String, String> annotations) {
		if (annotations == null) {
			return null;
		}
		String perFamily = annotations.get((family == Family.IPV4) ? IPV4_POOL_ANNOTATION : IPV6_POOL_ANNOTATION);
		if (perFamily != null && !perFamily.isBlank()) {
			return perFamily.strip();
		}
		String any = annotations.get(IP_POOL_ANNOTATION);
		return (any != null && !any.isBlank()) ? any.strip() : null;
	}

}
