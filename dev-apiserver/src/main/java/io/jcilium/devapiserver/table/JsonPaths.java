package io.jcilium.devapiserver.table;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The subset of JSONPath CRD printer columns use: {@code .a.b}, {@code .a[0].b} and
 * {@code .a[*].b} (values joined with commas).
 */
final class JsonPaths {

	private JsonPaths() {
	}

	static String text(JsonNode object, String path) {
		List<JsonNode> current = List.of(object);
		for (String step : path.replace("[", ".[").split("\\.")) {
			if (step.isEmpty()) {
				continue;
			}
			List<JsonNode> next = new ArrayList<>();
			for (JsonNode node : current) {
				if (step.equals("[*]")) {
					node.forEach(next::add);
				}
				else if (step.startsWith("[") && step.endsWith("]")) {
					JsonNode element = node.path(Integer.parseInt(step.substring(1, step.length() - 1)));
					if (!element.isMissingNode()) {
						next.add(element);
					}
				}
				else if (node.has(step)) {
					next.add(node.get(step));
				}
			}
			current = next;
		}
		List<String> values = new ArrayList<>();
		for (JsonNode node : current) {
			values.add(node.isValueNode() ? node.asText() : node.toString());
		}
		return String.join(",", values);
	}

}
