package io.jcilium.devapiserver.table;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The subset of JSONPath CRD printer columns use: {@code .a.b}, {@code .a[0].b},
 * {@code .a[*].b} (values joined with commas), keys with escaped dots
 * ({@code .metadata.labels.io\.kubernetes\.pod\.namespace}) and equality filters
 * ({@code .spec.addresses[?(@.type=="InternalIP")].ip}, either quote).
 */
final class JsonPaths {

	private JsonPaths() {
	}

	/** The values at the path joined with commas, or null when there is none. */
	static String text(JsonNode object, String path) {
		List<JsonNode> current = List.of(object);
		for (String step : steps(path)) {
			List<JsonNode> next = new ArrayList<>();
			for (JsonNode node : current) {
				select(node, step, next);
			}
			current = next;
		}
		List<String> values = new ArrayList<>();
		for (JsonNode node : current) {
			if (!node.isNull()) {
				values.add(node.isValueNode() ? node.asText() : node.toString());
			}
		}
		return values.isEmpty() ? null : String.join(",", values);
	}

	private static void select(JsonNode node, String step, List<JsonNode> into) {
		if (step.equals("[*]")) {
			node.forEach(into::add);
		}
		else if (step.startsWith("[?(@.") && step.endsWith(")]")) {
			String condition = step.substring(5, step.length() - 2);
			int equals = condition.indexOf("==");
			if (equals < 0) {
				throw new IllegalArgumentException("only == filters are supported: " + step);
			}
			String field = condition.substring(0, equals).strip();
			String wanted = unquote(condition.substring(equals + 2).strip());
			for (JsonNode element : node) {
				JsonNode value = element.path(field);
				if (value.isValueNode() && value.asText().equals(wanted)) {
					into.add(element);
				}
			}
		}
		else if (step.startsWith("[") && step.endsWith("]")) {
			JsonNode element = node.path(Integer.parseInt(step.substring(1, step.length() - 1)));
			if (!element.isMissingNode()) {
				into.add(element);
			}
		}
		else if (node.has(step)) {
			into.add(node.get(step));
		}
	}

	/** The path's steps: keys (escaped dots resolved) and bracketed selectors. */
	static List<String> steps(String path) {
		List<String> steps = new ArrayList<>();
		StringBuilder key = new StringBuilder();
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == '\\' && i + 1 < path.length()) {
				key.append(path.charAt(++i));
			}
			else if (c == '.' || c == '[') {
				if (!key.isEmpty()) {
					steps.add(key.toString());
					key.setLength(0);
				}
				if (c == '[') {
					int end = closingBracket(path, i);
					steps.add(path.substring(i, end + 1));
					i = end;
				}
			}
			else {
				key.append(c);
			}
		}
		if (!key.isEmpty()) {
			steps.add(key.toString());
		}
		return steps;
	}

	private static int closingBracket(String path, int open) {
		char quote = 0;
		for (int i = open + 1; i < path.length(); i++) {
			char c = path.charAt(i);
			if (quote != 0) {
				quote = (c == quote) ? 0 : quote;
			}
			else if (c == '"' || c == '\'') {
				quote = c;
			}
			else if (c == ']') {
				return i;
			}
		}
		throw new IllegalArgumentException("unclosed [ in JSONPath " + path);
	}

	private static String unquote(String value) {
		if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
				&& value.charAt(value.length() - 1) == value.charAt(0)) {
			return value.substring(1, value.length() - 1);
		}
		return value;
	}

}
