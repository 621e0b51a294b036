package io.jcilium.agent.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.api.crd.v2.CiliumNode;

/**
 * The agent's write of {@code spec.ipam.pools} as a JSON Patch (RFC 6902) against the
 * CiliumNode it last saw. The first operation sets {@code metadata.resourceVersion} to
 * that version: the API server takes a resourceVersion in a patch as a precondition and
 * refuses the write (409 Conflict) when the object changed since, as it does for an
 * update, so a write never crosses the operator's (upstream's agent uses a guarded update
 * for the same reason). The other operations touch only the fields the agent owns,
 * creating the parents the object lacks, so fields this agent's model does not know stay
 * as they are.
 * <p>
 * A JSON merge patch (RFC 7386) would replace the lists too, but fabric8's mock API
 * server appends to a list and stores {@code null} instead of removing: a JSON Patch is
 * applied the same way by both.
 */
final class PoolsPatch {

	private static final String POOLS = "/spec/ipam/pools";

	private PoolsPatch() {
	}

	/**
	 * @param node the CiliumNode the fields were computed from
	 * @param fields field of {@code spec.ipam.pools} to its new value, {@code null} to
	 * remove it
	 * @return the operations, empty when there is nothing to change
	 */
	static List<Map<String, Object>> of(CiliumNode node, Map<String, Object> fields) {
		List<Map<String, Object>> changes = new ArrayList<>();
		Map<String, Object> values = new LinkedHashMap<>();
		fields.forEach((field, value) -> {
			if (value != null) {
				values.put(field, value);
			}
		});
		CiliumNode.Spec spec = node.getSpec();
		CiliumNode.IpamSpec ipam = (spec != null) ? spec.ipam : null;
		CiliumNode.IpamPoolSpec pools = (ipam != null) ? ipam.pools : null;
		if (pools != null) {
			fields.forEach((field, value) -> {
				boolean present = current(pools, field) != null;
				if (value != null) {
					changes.add(operation(present ? "replace" : "add", POOLS + "/" + field, value));
				}
				else if (present) {
					changes.add(operation("remove", POOLS + "/" + field, null));
				}
			});
		}
		else if (!values.isEmpty()) {
			// The parents the object lacks come with the values.
			if (spec == null) {
				changes.add(operation("add", "/spec", Map.of("ipam", Map.of("pools", values))));
			}
			else if (ipam == null) {
				changes.add(operation("add", "/spec/ipam", Map.of("pools", values)));
			}
			else {
				changes.add(operation("add", POOLS, values));
			}
		}
		String version = node.getMetadata().getResourceVersion();
		if (changes.isEmpty() || version == null) {
			return changes;
		}
		List<Map<String, Object>> guarded = new ArrayList<>();
		guarded.add(operation("replace", "/metadata/resourceVersion", version));
		guarded.addAll(changes);
		return guarded;
	}

	private static Object current(CiliumNode.IpamPoolSpec pools, String field) {
		return switch (field) {
			case "requested" -> pools.requested;
			case "allocated" -> pools.allocated;
			default -> throw new IllegalArgumentException("spec.ipam.pools has no field " + field);
		};
	}

	private static Map<String, Object> operation(String op, String path, Object value) {
		Map<String, Object> operation = new LinkedHashMap<>();
		operation.put("op", op);
		operation.put("path", path);
		if (value != null) {
			operation.put("value", value);
		}
		return operation;
	}

}
