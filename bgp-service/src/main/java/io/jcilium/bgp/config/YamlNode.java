package io.jcilium.bgp.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of one parsed YAML value that knows where it is in its document, so a
 * wrong or missing field is reported by its path ({@code spec.bgpInstances[0].localASN}).
 */
final class YamlNode {

	private final Object value;

	private final String path;

	YamlNode(Object value, String path) {
		this.value = value;
		this.path = path;
	}

	boolean isMissing() {
		return this.value == null;
	}

	YamlNode get(String key) {
		Object child = (this.value instanceof Map<?, ?> map) ? map.get(key) : null;
		if (this.value != null && !(this.value instanceof Map)) {
			throw new LabFileException(this.path + " must be a mapping");
		}
		return new YamlNode(child, this.path.isEmpty() ? key : this.path + "." + key);
	}

	List<YamlNode> list() {
		if (this.value == null) {
			return List.of();
		}
		if (!(this.value instanceof List<?> items)) {
			throw new LabFileException(this.path + " must be a list");
		}
		List<YamlNode> nodes = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			nodes.add(new YamlNode(items.get(i), this.path + "[" + i + "]"));
		}
		return nodes;
	}

	String text() {
		if (this.value == null) {
			throw new LabFileException(this.path + " is required");
		}
		return String.valueOf(this.value);
	}

	String text(String fallback) {
		return (this.value != null) ? String.valueOf(this.value) : fallback;
	}

	long number() {
		if (this.value instanceof Number number) {
			return number.longValue();
		}
		throw new LabFileException(this.path + ((this.value == null) ? " is required" : " must be a number"));
	}

	long number(long fallback) {
		return (this.value == null) ? fallback : number();
	}

	boolean bool(boolean fallback) {
		if (this.value == null) {
			return fallback;
		}
		if (this.value instanceof Boolean bool) {
			return bool;
		}
		throw new LabFileException(this.path + " must be true or false");
	}

	/** A mapping of strings to strings, as labels and matchLabels are. */
	Map<String, String> strings() {
		if (this.value == null) {
			return Map.of();
		}
		if (!(this.value instanceof Map<?, ?> map)) {
			throw new LabFileException(this.path + " must be a mapping");
		}
		Map<String, String> strings = new java.util.HashMap<>();
		map.forEach((k, v) -> strings.put(String.valueOf(k), String.valueOf(v)));
		return strings;
	}

	String path() {
		return this.path;
	}

}
