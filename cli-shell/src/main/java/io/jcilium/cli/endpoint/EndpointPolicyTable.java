package io.jcilium.cli.endpoint;

import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;

/**
 * An endpoint's policy as {@code cilium-dbg bpf policy get} prints it, plus the rules
 * each entry is derived from: one row per entry and rule, the rule as its labels.
 */
final class EndpointPolicyTable {

	private EndpointPolicyTable() {
	}

	/**
	 * The table of the agent's endpoint policy view.
	 * @param view the JSON of {@code /actuator/endpointpolicy/{id}}
	 * @return the header line and the table
	 */
	static String render(JsonNode view) {
		StringBuilder text = new StringBuilder();
		text.append("Endpoint ")
			.append(view.path("endpointId").asInt())
			.append(" (pod ")
			.append(view.path("pod").asString())
			.append(", identity ")
			.append(view.path("identity").asLong())
			.append("): ingress ")
			.append(enforcement(view.path("ingressEnforced").asBoolean()))
			.append(", egress ")
			.append(enforcement(view.path("egressEnforced").asBoolean()))
			.append('\n');
		TextTable table = new TextTable("POLICY", "DIRECTION", "PEER", "PORT/PROTO", "DERIVED FROM");
		for (JsonNode entry : view.path("entries")) {
			String policy = capitalized(entry.path("verdict").asString());
			String direction = capitalized(entry.path("direction").asString());
			long peer = entry.path("peer").asLong();
			String ports = entry.path("ports").asString() + "/" + entry.path("protocol").asString();
			boolean first = true;
			for (JsonNode rule : entry.path("derivedFrom")) {
				StringBuilder labels = new StringBuilder();
				rule.forEach((label) -> labels.append((labels.length() > 0) ? " " : "").append(label.asString()));
				if (first) {
					table.row(policy, direction, (peer == 0) ? "ANY" : Long.toString(peer), ports, labels.toString());
				}
				else {
					table.row("", "", "", "", labels.toString());
				}
				first = false;
			}
		}
		return text.append(table.render()).toString();
	}

	private static String enforcement(boolean enforced) {
		return enforced ? "enforced" : "not enforced";
	}

	private static String capitalized(String word) {
		return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
	}

}
