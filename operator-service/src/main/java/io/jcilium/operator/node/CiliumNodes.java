package io.jcilium.operator.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;

/**
 * The operator's part of a {@code CiliumNode}: {@code spec.addresses} from the Node and
 * {@code spec.ipam.podCIDRs} from cluster IPAM (cluster-pool mode only). Other fields
 * (written by the agent) are left as they are.
 */
final class CiliumNodes {

	/** Label marking CiliumNodes this operator manages. */
	static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

	static final String MANAGED_BY = "jcilium-operator";

	private CiliumNodes() {
	}

	/**
	 * The Node's addresses as CiliumNode addresses ({@code InternalIP} and
	 * {@code ExternalIP}; host names are not addresses).
	 * @param node the Node
	 * @return entries with {@code type} and {@code ip}
	 */
	static List<Map<String, Object>> addresses(Node node) {
		List<Map<String, Object>> addresses = new ArrayList<>();
		if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
			for (NodeAddress address : node.getStatus().getAddresses()) {
				if ("InternalIP".equals(address.getType()) || "ExternalIP".equals(address.getType())) {
					Map<String, Object> entry = new LinkedHashMap<>();
					entry.put("type", address.getType());
					entry.put("ip", address.getAddress());
					addresses.add(entry);
				}
			}
		}
		return addresses;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> spec(GenericKubernetesResource ciliumNode) {
		Object spec = ciliumNode.getAdditionalProperties().get("spec");
		return (spec instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	static Object podCidrs(Map<String, Object> spec) {
		Object ipam = spec.get("ipam");
		return (ipam instanceof Map<?, ?> map) ? map.get("podCIDRs") : null;
	}

	/**
	 * The spec with the operator's fields set to the desired values.
	 * @param current the current spec (may be empty)
	 * @param addresses desired addresses
	 * @param podCidrs desired pod CIDRs; {@code null} in multi-pool mode, where the
	 * operator leaves {@code spec.ipam} alone
	 * @return a new spec map
	 */
	static Map<String, Object> withDesired(Map<String, Object> current, List<Map<String, Object>> addresses,
			List<String> podCidrs) {
		Map<String, Object> spec = new LinkedHashMap<>(current);
		spec.put("addresses", addresses);
		if (podCidrs == null) {
			return spec;
		}
		Map<String, Object> ipam = new LinkedHashMap<>();
		if (current.get("ipam") instanceof Map<?, ?> existing) {
			existing.forEach((key, value) -> ipam.put(String.valueOf(key), value));
		}
		ipam.put("podCIDRs", podCidrs);
		spec.put("ipam", ipam);
		return spec;
	}

}
