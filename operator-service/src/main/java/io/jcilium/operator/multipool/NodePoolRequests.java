package io.jcilium.operator.multipool;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * Reads a CiliumNode's {@code spec.ipam.pools}: what the agent requested per pool
 * ({@code requested[].needed.ipv4-addrs}, {@code ipv6-addrs}) and what the operator
 * allocated ({@code allocated[].pool}, {@code cidrs}).
 */
final class NodePoolRequests {

	private NodePoolRequests() {
	}

	static List<Request> requested(GenericKubernetesResource ciliumNode) {
		List<Request> requests = new ArrayList<>();
		if (pools(ciliumNode).get("requested") instanceof List<?> list) {
			for (Object entry : list) {
				if (entry instanceof Map<?, ?> request && request.get("pool") instanceof String pool) {
					Map<?, ?> needed = (request.get("needed") instanceof Map<?, ?> map) ? map : Map.of();
					requests.add(new Request(pool, count(needed.get("ipv4-addrs")), count(needed.get("ipv6-addrs"))));
				}
			}
		}
		return requests;
	}

	static Object allocated(GenericKubernetesResource ciliumNode) {
		return pools(ciliumNode).get("allocated");
	}

	/** Every CIDR of {@code spec.ipam.pools.allocated}, as written. */
	static Set<String> allocatedCidrs(GenericKubernetesResource ciliumNode) {
		Set<String> cidrs = new HashSet<>();
		if (allocated(ciliumNode) instanceof List<?> list) {
			for (Object entry : list) {
				if (entry instanceof Map<?, ?> allocation && allocation.get("cidrs") instanceof List<?> blocks) {
					blocks.forEach((cidr) -> cidrs.add(String.valueOf(cidr)));
				}
			}
		}
		return cidrs;
	}

	private static Map<?, ?> pools(GenericKubernetesResource ciliumNode) {
		if (ciliumNode.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
				&& spec.get("ipam") instanceof Map<?, ?> ipam && ipam.get("pools") instanceof Map<?, ?> pools) {
			return pools;
		}
		return Map.of();
	}

	private static int count(Object value) {
		return (value instanceof Number number) ? Math.max(0, number.intValue()) : 0;
	}

	/**
	 * Blocks of {@code 2^hostBits} addresses needed to hold {@code addresses}.
	 */
	static int blocksFor(int addresses, int hostBits) {
		if (hostBits >= 31) {
			return 1;
		}
		long size = 1L << hostBits;
		return (int) ((addresses + size - 1) / size);
	}

	/**
	 * One entry of {@code spec.ipam.pools.requested}.
	 *
	 * @param pool the pool's name
	 * @param ipv4Addrs IPv4 addresses needed
	 * @param ipv6Addrs IPv6 addresses needed
	 */
	record Request(String pool, int ipv4Addrs, int ipv6Addrs) {

	}

}
