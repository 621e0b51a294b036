package io.jcilium.agent.hubble.filter;

import java.util.Map;
import java.util.function.Predicate;

import io.jcilium.api.hubble.flow.FlowFilter;

/**
 * The filter fields this agent cannot evaluate yet (no L7, DNS, services or clusters in
 * its flows): a request using one is refused with the field's name.
 */
final class FilterFields {

	private static final Map<String, Predicate<FlowFilter>> UNSUPPORTED = Map.ofEntries(
			Map.entry("source_ip_xlated", (f) -> f.getSourceIpXlatedCount() > 0),
			Map.entry("source_fqdn", (f) -> f.getSourceFqdnCount() > 0),
			Map.entry("destination_fqdn", (f) -> f.getDestinationFqdnCount() > 0),
			Map.entry("source_service", (f) -> f.getSourceServiceCount() > 0),
			Map.entry("destination_service", (f) -> f.getDestinationServiceCount() > 0),
			Map.entry("source_cluster_name", (f) -> f.getSourceClusterNameCount() > 0),
			Map.entry("destination_cluster_name", (f) -> f.getDestinationClusterNameCount() > 0),
			Map.entry("interface", (f) -> f.getInterfaceCount() > 0),
			Map.entry("http_status_code", (f) -> f.getHttpStatusCodeCount() > 0),
			Map.entry("http_method", (f) -> f.getHttpMethodCount() > 0),
			Map.entry("http_path", (f) -> f.getHttpPathCount() > 0),
			Map.entry("http_url", (f) -> f.getHttpUrlCount() > 0),
			Map.entry("http_header", (f) -> f.getHttpHeaderCount() > 0),
			Map.entry("dns_query", (f) -> f.getDnsQueryCount() > 0),
			Map.entry("node_labels", (f) -> f.getNodeLabelsCount() > 0),
			Map.entry("trace_id", (f) -> f.getTraceIdCount() > 0),
			Map.entry("experimental.cel_expression", (f) -> f.getExperimental().getCelExpressionCount() > 0));

	private FilterFields() {
	}

	static void rejectUnsupported(String path, FlowFilter filter) {
		UNSUPPORTED.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().test(filter))
			.map(Map.Entry::getKey)
			.sorted()
			.findFirst()
			.ifPresent((field) -> {
				throw new InvalidFilterException(path + "." + field,
						"this filter is not supported by jcilium's agent yet");
			});
	}

}
