package io.jcilium.helm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spring configuration a service reads from the chart, parsed: its key of the
 * umbrella's {@code <release>-config} (settings from upstream-shaped values) with its own
 * ConfigMap's application.yaml over it, as Spring reads the two locations.
 */
final class ServiceConfig {

	private ServiceConfig() {
	}

	static Map<String, Object> of(RenderedChart chart, String service) {
		Map<String, Object> merged = cluster(chart, service);
		Map<String, Object> configMap = chart.get("ConfigMap", RenderedChart.RELEASE + "-" + service);
		mergeInto(merged, YamlPath.parse((String) YamlPath.map(configMap, "data").get("application.yaml")));
		return merged;
	}

	/** The service's key of {@code <release>-config} alone. */
	static Map<String, Object> cluster(RenderedChart chart, String service) {
		Map<String, Object> config = chart.get("ConfigMap", RenderedChart.RELEASE + "-config");
		String yaml = (String) YamlPath.map(config, "data").get(service + ".yaml");
		if (yaml == null) {
			throw new AssertionError("no " + service + ".yaml in " + RenderedChart.RELEASE + "-config");
		}
		Map<String, Object> parsed = YamlPath.parse(yaml);
		return (parsed != null) ? new LinkedHashMap<>(parsed) : new LinkedHashMap<>();
	}

	/** Spring's merge of two property sources: maps merge key by key, the later wins. */
	@SuppressWarnings("unchecked")
	private static void mergeInto(Map<String, Object> base, Map<String, Object> over) {
		if (over == null) {
			return;
		}
		over.forEach((key, value) -> {
			Object existing = base.get(key);
			if (existing instanceof Map<?, ?> nested && value instanceof Map<?, ?> overNested) {
				Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) nested);
				mergeInto(copy, (Map<String, Object>) overNested);
				base.put(key, copy);
			}
			else {
				base.put(key, value);
			}
		});
	}

}
