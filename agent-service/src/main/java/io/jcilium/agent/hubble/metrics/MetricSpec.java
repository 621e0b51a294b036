package io.jcilium.agent.hubble.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One enabled metric in upstream's syntax ({@code hubble.metrics.enabled}): {@code name}
 * or {@code name:option=value;option=value}, e.g.
 * {@code flow:sourceContext=namespace|pod;destinationContext=workload-name}.
 *
 * @param name the metric's name ({@code flow}, {@code drop}, ...)
 * @param options its options by name
 */
record MetricSpec(String name, Map<String, String> options) {

	/**
	 * @throws IllegalArgumentException saying what cannot be read
	 */
	static MetricSpec parse(String text) {
		String spec = text.strip();
		int colon = spec.indexOf(':');
		String name = (colon < 0) ? spec : spec.substring(0, colon);
		if (name.isEmpty()) {
			throw new IllegalArgumentException("'" + text + "' names no metric");
		}
		Map<String, String> options = new LinkedHashMap<>();
		if (colon >= 0) {
			for (String option : spec.substring(colon + 1).split(";")) {
				if (option.isBlank()) {
					continue;
				}
				int equals = option.indexOf('=');
				if (equals <= 0 || equals == option.length() - 1) {
					throw new IllegalArgumentException(
							"option '" + option + "' of metric '" + name + "' is not of the form name=value");
				}
				options.put(option.substring(0, equals).strip(), option.substring(equals + 1).strip());
			}
		}
		return new MetricSpec(name, Map.copyOf(options));
	}

}
