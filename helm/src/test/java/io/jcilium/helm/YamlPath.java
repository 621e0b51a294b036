package io.jcilium.helm;

import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Walks parsed YAML by dotted paths ("spec.template.spec") and casts what it finds. */
final class YamlPath {

	private YamlPath() {
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Map<String, Object> from, String path) {
		return (Map<String, Object>) at(from, path);
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> list(Map<String, Object> from, String path) {
		return (List<Map<String, Object>>) at(from, path);
	}

	@SuppressWarnings("unchecked")
	static List<String> strings(Map<String, Object> from, String path) {
		return (List<String>) at(from, path);
	}

	@SuppressWarnings("unchecked")
	static Object at(Map<String, Object> from, String path) {
		Object current = from;
		for (String key : path.split("\\.")) {
			if (!(current instanceof Map)) {
				return null;
			}
			current = ((Map<String, Object>) current).get(key);
		}
		return current;
	}

	/** The list element whose "name" field is the given one. */
	static Map<String, Object> named(List<Map<String, Object>> elements, String name) {
		return elements.stream()
			.filter((element) -> name.equals(element.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no element named " + name + " in " + elements));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> parse(String yaml) {
		return (Map<String, Object>) new Yaml(new LoaderOptions()).load(yaml);
	}

}
