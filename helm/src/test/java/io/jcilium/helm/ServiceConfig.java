package io.jcilium.helm;

import java.util.Map;

/** The Spring application.yaml a service's ConfigMap carries, parsed. */
final class ServiceConfig {

	private ServiceConfig() {
	}

	static Map<String, Object> of(RenderedChart chart, String service) {
		Map<String, Object> configMap = chart.get("ConfigMap", RenderedChart.RELEASE + "-" + service);
		return YamlPath.parse((String) YamlPath.map(configMap, "data").get("application.yaml"));
	}

}
