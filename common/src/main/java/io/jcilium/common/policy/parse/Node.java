package io.jcilium.common.policy.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A value of parsed YAML together with its field path, so that every error names where it
 * is.
 */
final class Node {

	private final String path;

	private final Object value;

	Node(String path, Object value) {
		this.path = path;
		this.value = value;
	}

	String path() {
		return this.path;
	}

	boolean isNull() {
		return this.value == null;
	}

	Node get(String field) {
		return new Node(this.path.isEmpty() ? field : this.path + "." + field, asMap().get(field));
	}

	boolean has(String field) {
		return this.value instanceof Map<?, ?> map && map.containsKey(field);
	}

	Map<?, ?> asMap() {
		if (this.value == null) {
			return Map.of();
		}
		if (!(this.value instanceof Map<?, ?> map)) {
			throw error("expected an object, got " + describe());
		}
		return map;
	}

	/**
	 * The list items, or {@code null} when the field is absent (absent and empty differ
	 * in policy semantics).
	 */
	List<Node> listOrNull() {
		if (this.value == null) {
			return null;
		}
		if (!(this.value instanceof List<?> list)) {
			throw error("expected a list, got " + describe());
		}
		List<Node> items = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			items.add(new Node(this.path + "[" + i + "]", list.get(i)));
		}
		return items;
	}

	List<Node> list() {
		List<Node> items = listOrNull();
		return (items != null) ? items : List.of();
	}

	String string() {
		if (this.value == null) {
			return null;
		}
		if (this.value instanceof Map || this.value instanceof List) {
			throw error("expected a string, got " + describe());
		}
		return String.valueOf(this.value);
	}

	String requiredString() {
		String text = string();
		if (text == null || text.isEmpty()) {
			throw error("is required");
		}
		return text;
	}

	Integer integer() {
		if (this.value == null) {
			return null;
		}
		if (this.value instanceof Integer number) {
			return number;
		}
		if (this.value instanceof String text && text.matches("-?\\d{1,9}")) {
			return Integer.parseInt(text);
		}
		throw error("expected an integer, got " + describe());
	}

	Boolean bool() {
		if (this.value == null) {
			return null;
		}
		if (this.value instanceof Boolean flag) {
			return flag;
		}
		throw error("expected true or false, got " + describe());
	}

	Map<String, String> stringMap() {
		Map<String, String> out = new LinkedHashMap<>();
		asMap().forEach((key, item) -> {
			if (item instanceof Map || item instanceof List) {
				throw new Node(this.path + "." + key, item).error("expected a string, got " + describeValue(item));
			}
			out.put(String.valueOf(key), (item != null) ? String.valueOf(item) : "");
		});
		return out;
	}

	List<String> strings() {
		List<String> out = new ArrayList<>();
		for (Node item : list()) {
			out.add(item.requiredString());
		}
		return out;
	}

	/**
	 * Convert with a function that throws {@link IllegalArgumentException}, reporting its
	 * message at this path.
	 */
	<T> T convert(Function<Node, T> converter) {
		try {
			return converter.apply(this);
		}
		catch (PolicyParseException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw new PolicyParseException(this.path, ex.getMessage(), ex);
		}
	}

	void rejectFields(String why, String... fields) {
		for (String field : fields) {
			if (has(field)) {
				throw get(field).error(why);
			}
		}
	}

	PolicyParseException error(String problem) {
		return new PolicyParseException(this.path, problem);
	}

	private String describe() {
		return describeValue(this.value);
	}

	private static String describeValue(Object value) {
		if (value instanceof Map) {
			return "an object";
		}
		if (value instanceof List) {
			return "a list";
		}
		return "'" + value + "'";
	}

}
