package io.jcilium.helm;

import java.util.List;
import java.util.Map;

import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.map;

/** Kubernetes label selector semantics, to check which rendered pods a selector picks. */
final class LabelSelectors {

	private LabelSelectors() {
	}

	/**
	 * Whether the selector (matchLabels and matchExpressions, ANDed) selects the labels.
	 */
	static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
		Map<String, Object> matchLabels = map(selector, "matchLabels");
		if (matchLabels != null) {
			for (Map.Entry<String, Object> wanted : matchLabels.entrySet()) {
				if (!String.valueOf(wanted.getValue()).equals(labels.get(wanted.getKey()))) {
					return false;
				}
			}
		}
		List<Map<String, Object>> expressions = list(selector, "matchExpressions");
		if (expressions != null) {
			for (Map<String, Object> expression : expressions) {
				if (!matches(expression, labels.get((String) expression.get("key")))) {
					return false;
				}
			}
		}
		return true;
	}

	@SuppressWarnings("unchecked")
	private static boolean matches(Map<String, Object> expression, Object value) {
		List<Object> values = (List<Object>) expression.getOrDefault("values", List.of());
		return switch ((String) expression.get("operator")) {
			case "In" -> value != null && values.contains(value);
			case "NotIn" -> value == null || !values.contains(value);
			case "Exists" -> value != null;
			case "DoesNotExist" -> value == null;
			default -> throw new AssertionError("unknown operator in " + expression);
		};
	}

}
