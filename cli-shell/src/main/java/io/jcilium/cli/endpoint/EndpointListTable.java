package io.jcilium.cli.endpoint;

import java.util.List;
import java.util.Map;

import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Endpoints as upstream's {@code cilium-dbg endpoint list} prints them: its two-line
 * header, one label per line (the other columns on the first), enforcement as
 * {@code Enabled}/{@code Disabled}; and the same as data for {@code -o json|yaml}.
 */
final class EndpointListTable {

	private EndpointListTable() {
	}

	/**
	 * @param endpoints the agent's list ({@code GET /actuator/endpointpolicy})
	 * @param labels each identity's labels; an identity missing here shows none
	 */
	static String render(JsonNode endpoints, Map<Long, List<String>> labels) {
		TextTable table = new TextTable("ENDPOINT", "POLICY (ingress)", "POLICY (egress)", "IDENTITY",
				"LABELS (source:key[=value])", "IPv6", "IPv4", "STATUS");
		table.row("", "ENFORCEMENT", "ENFORCEMENT", "", "", "", "", "");
		for (JsonNode endpoint : endpoints) {
			long identity = endpoint.path("identity").asLong();
			List<String> endpointLabels = labels.getOrDefault(identity, List.of());
			table.row(endpoint.path("endpointId").asString(), enforcement(endpoint.path("ingressEnforced")),
					enforcement(endpoint.path("egressEnforced")), (identity > 0) ? Long.toString(identity) : "",
					endpointLabels.isEmpty() ? "" : endpointLabels.get(0), "", endpoint.path("ipv4").asString(""),
					endpoint.path("state").asString(""));
			for (String label : endpointLabels.subList(Math.min(1, endpointLabels.size()), endpointLabels.size())) {
				table.row("", "", "", "", label, "", "", "");
			}
		}
		return table.render();
	}

	/**
	 * The agent's fields of each endpoint plus its identity's {@code labels}.
	 */
	static ArrayNode dataOfAll(JsonNode endpoints, Map<Long, List<String>> labels) {
		ArrayNode list = JsonMapper.shared().createArrayNode();
		for (JsonNode endpoint : endpoints) {
			list.add(data(endpoint, labels));
		}
		return list;
	}

	static ObjectNode data(JsonNode endpoint, Map<Long, List<String>> labels) {
		ObjectNode node = (ObjectNode) endpoint.deepCopy();
		ArrayNode list = node.putArray("labels");
		labels.getOrDefault(endpoint.path("identity").asLong(), List.of()).forEach(list::add);
		return node;
	}

	// Upstream prints Enabled/Disabled; an endpoint whose identity has no policy computed
	// yet
	// has no enforcement to show.
	private static String enforcement(JsonNode enforced) {
		if (enforced.isMissingNode() || enforced.isNull()) {
			return "Unknown";
		}
		return enforced.asBoolean() ? "Enabled" : "Disabled";
	}

}
