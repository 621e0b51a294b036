package io.jcilium.agent.ipam;

import java.util.Map;

/**
 * Chooses the multi-pool IPAM pool a pod's address comes from, as upstream's multi-pool
 * IPAM does: the pod's annotation, else its namespace's, else {@value #DEFAULT_POOL}. The
 * per-family annotations ({@code ipam.cilium.io/ipv4-pool}, {@code ipv6-pool}) win over
 * {@code ipam.cilium.io/ip-pool} at the same level. The agent calls this once, when the
 * pod is created: changing the annotation of a running pod does not move it.
 */
public final class PodPoolSelector {

	public static final String IP_POOL_ANNOTATION = "ipam.cilium.io/ip-pool";

	public static final String IPV4_POOL_ANNOTATION = "ipam.cilium.io/ipv4-pool";

	public static final String IPV6_POOL_ANNOTATION = "ipam.cilium.io/ipv6-pool";

	public static final String DEFAULT_POOL = "default";

	private PodPoolSelector() {
	}

	/**
	 * The pool of the pod's IPv4 address.
	 * @param podAnnotations the pod's annotations (may be null)
	 * @param namespaceAnnotations the pod's namespace's annotations (may be null)
	 * @return the pool's name
	 */
	public static String ipv4Pool(Map<String, String> podAnnotations, Map<String, String> namespaceAnnotations) {
		return select(IPV4_POOL_ANNOTATION, podAnnotations, namespaceAnnotations);
	}

	/**
	 * The pool of the pod's IPv6 address.
	 * @param podAnnotations the pod's annotations (may be null)
	 * @param namespaceAnnotations the pod's namespace's annotations (may be null)
	 * @return the pool's name
	 */
	public static String ipv6Pool(Map<String, String> podAnnotations, Map<String, String> namespaceAnnotations) {
		return select(IPV6_POOL_ANNOTATION, podAnnotations, namespaceAnnotations);
	}

	private static String select(String familyAnnotation, Map<String, String> podAnnotations,
			Map<String, String> namespaceAnnotations) {
		String fromPod = fromAnnotations(familyAnnotation, podAnnotations);
		if (fromPod != null) {
			return fromPod;
		}
		String fromNamespace = fromAnnotations(familyAnnotation, namespaceAnnotations);
		return (fromNamespace != null) ? fromNamespace : DEFAULT_POOL;
	}

	private static String fromAnnotations(String familyAnnotation, Map<String, String> annotations) {
		if (annotations == null) {
			return null;
		}
		String perFamily = annotations.get(familyAnnotation);
		if (perFamily != null && !perFamily.isBlank()) {
			return perFamily.strip();
		}
		String any = annotations.get(IP_POOL_ANNOTATION);
		return (any != null && !any.isBlank()) ? any.strip() : null;
	}

}
