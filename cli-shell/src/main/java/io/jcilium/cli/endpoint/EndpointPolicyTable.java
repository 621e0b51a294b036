package io.jcilium.cli.endpoint;

import java.util.List;
import java.util.function.LongFunction;

import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;

/**
 * An endpoint's policy map as {@code cilium-dbg bpf policy get} prints it: POLICY,
 * DIRECTION, the peer identity's labels one per line (any peer as {@code ANY}, an
 * identity whose labels cannot be found as its number), PORT/PROTO, PROXY PORT
 * ({@code NONE} for none), BYTES, PACKETS ({@code -} when the datapath counts nothing)
 * and PREFIX (the protocol and port bits the entry matches).
 */
final class EndpointPolicyTable {

	private EndpointPolicyTable() {
	}

	/**
	 * The table of the agent's endpoint policy view.
	 * @param view the JSON of {@code /actuator/endpointpolicy/{id}}
	 * @param labels the labels of a peer identity, empty if they cannot be found
	 * @return the header line and the table
	 */
	static String render(JsonNode view, LongFunction<List<String>> labels) {
		StringBuilder text = new StringBuilder();
		text.append("Endpoint ")
			.append(view.path("endpointId").asInt())
			.append(" (pod ")
			.append(view.path("pod").asString())
			.append(", identity ")
			.append(view.path("identity").asLong())
			.append("): ingress ")
			.append(enforcement(view.path("ingressEnforced")))
			.append(", egress ")
			.append(enforcement(view.path("egressEnforced")))
			.append('\n');
		TextTable table = new TextTable("POLICY", "DIRECTION", "LABELS (source:key[=value])", "PORT/PROTO",
				"PROXY PORT", "BYTES", "PACKETS", "PREFIX");
		for (JsonNode entry : view.path("entries")) {
			long peer = entry.path("peer").asLong();
			List<String> peerLabels = (peer == 0) ? List.of("ANY") : labels.apply(peer);
			if (peerLabels.isEmpty()) {
				peerLabels = List.of(Long.toString(peer));
			}
			int proxyPort = entry.path("proxyPort").asInt();
			table.row(capitalized(entry.path("verdict").asString()), capitalized(entry.path("direction").asString()),
					peerLabels.get(0), portProto(entry), (proxyPort == 0) ? "NONE" : Integer.toString(proxyPort),
					counter(entry.path("bytes")), counter(entry.path("packets")),
					Integer.toString(entry.path("prefix").asInt()));
			for (String label : peerLabels.subList(1, peerLabels.size())) {
				table.row("", "", label, "", "", "", "", "");
			}
		}
		return text.append(table.render()).toString();
	}

	// As upstream: ANY for any protocol, the protocol alone for any port, else
	// port/proto.
	private static String portProto(JsonNode entry) {
		String protocol = entry.path("protocol").asString();
		String ports = entry.path("ports").asString();
		if ("ANY".equals(protocol)) {
			return "ANY";
		}
		return "ANY".equals(ports) ? protocol : ports + "/" + protocol;
	}

	private static String counter(JsonNode value) {
		return (value.isMissingNode() || value.isNull()) ? "-" : Long.toString(value.asLong());
	}

	private static String enforcement(JsonNode enforced) {
		if (enforced.isMissingNode() || enforced.isNull()) {
			return "unknown";
		}
		return enforced.asBoolean() ? "enforced" : "not enforced";
	}

	private static String capitalized(String word) {
		return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
	}

}
