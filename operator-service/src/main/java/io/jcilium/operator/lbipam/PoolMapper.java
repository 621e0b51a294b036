package io.jcilium.operator.lbipam;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jcilium.common.selector.LabelSelector;
import io.jcilium.common.selector.Requirement;
import io.jcilium.operator.lbipam.LbPool.Block;

/**
 * Reads a {@code CiliumLoadBalancerIPPool} (held as a generic resource, so any served
 * version works) into an {@link LbPool}.
 */
final class PoolMapper {

	private PoolMapper() {
	}

	/**
	 * Map a pool.
	 * @param resource the pool
	 * @return the pool
	 * @throws IllegalArgumentException if the selector is invalid
	 */
	static LbPool toLbPool(GenericKubernetesResource resource) {
		Map<String, Object> spec = map(resource.getAdditionalProperties().get("spec"));
		List<Block> blocks = new ArrayList<>();
		// "cidrs" is the field's name before Cilium 1.15; both hold the same entries.
		for (String field : List.of("blocks", "cidrs")) {
			for (Object entry : list(spec.get(field))) {
				Map<String, Object> block = map(entry);
				blocks.add(new Block(text(block.get("cidr")), text(block.get("start")), text(block.get("stop"))));
			}
		}
		Object allow = spec.get("allowFirstLastIPs");
		boolean allowFirstLast = Boolean.TRUE.equals(allow) || "yes".equalsIgnoreCase(String.valueOf(allow));
		return new LbPool(resource.getMetadata().getName(), ServiceMapper.creationOrder(resource.getMetadata()), blocks,
				selector(spec.get("serviceSelector")), allowFirstLast, Boolean.TRUE.equals(spec.get("disabled")));
	}

	private static LabelSelector selector(Object raw) {
		if (raw == null) {
			return null;
		}
		Map<String, Object> selector = map(raw);
		Map<String, String> matchLabels = new TreeMap<>();
		map(selector.get("matchLabels")).forEach((key, value) -> matchLabels.put(key, text(value)));
		List<Requirement> expressions = new ArrayList<>();
		for (Object entry : list(selector.get("matchExpressions"))) {
			Map<String, Object> expression = map(entry);
			List<String> values = list(expression.get("values")).stream().map(PoolMapper::text).toList();
			expressions.add(Requirement.of(text(expression.get("key")), text(expression.get("operator")), values));
		}
		return LabelSelector.of(matchLabels, expressions);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	private static Collection<Object> list(Object value) {
		return (value instanceof List<?> list) ? new ArrayList<>(list) : List.of();
	}

	private static String text(Object value) {
		return (value != null) ? String.valueOf(value) : null;
	}

}
