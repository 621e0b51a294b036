package io.jcilium.cli.service;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;

/**
 * The agent's service entries ({@code GET /actuator/service}) as upstream's
 * {@code cilium-dbg} prints them: {@code service list} one row per frontend with its
 * backends one per line ({@code N => address (state)}), internal-scope frontends marked
 * {@code /i}; {@code bpf lb list} one row per service map entry, the master (slot 0) with
 * the rev NAT id and the flags, each slot with its backend.
 */
final class ServiceTables {

	private ServiceTables() {
	}

	static String serviceList(JsonNode entries) {
		TextTable table = new TextTable("ID", "Frontend", "Service Type", "Backend");
		for (JsonNode entry : entries) {
			List<String> backends = new ArrayList<>();
			for (JsonNode backend : entry.path("backends")) {
				backends.add(backend.path("slot").asInt() + " => " + backendAddress(backend) + " ("
						+ backend.path("state").asString("active") + ")");
			}
			table.row(entry.path("id").asString(), frontend(entry), entry.path("type").asString(),
					backends.isEmpty() ? "" : backends.get(0));
			for (String backend : backends.subList(Math.min(1, backends.size()), backends.size())) {
				table.row("", "", "", backend);
			}
		}
		return table.render();
	}

	static String bpfLbList(JsonNode entries) {
		TextTable table = new TextTable("SERVICE ADDRESS", "BACKEND ADDRESS (REVNAT_ID) (SLOT)");
		for (JsonNode entry : entries) {
			String frontend = frontend(entry);
			String id = entry.path("id").asString();
			List<String> flags = new ArrayList<>();
			flags.add(entry.path("type").asString());
			entry.path("flags").forEach((flag) -> flags.add(flag.asString()));
			String none = entry.path("frontend").asString().startsWith("[") ? "[::]:0" : "0.0.0.0:0";
			table.row(frontend + " (0)", none + " (" + id + ") (0) [" + String.join(", ", flags) + "]");
			for (JsonNode backend : entry.path("backends")) {
				String slot = backend.path("slot").asString();
				table.row(frontend + " (" + slot + ")", backendAddress(backend) + " (" + id + ") (" + slot + ")");
			}
		}
		return table.render();
	}

	// upstream marks the in-cluster entry of a two-scope frontend with /i
	private static String frontend(JsonNode entry) {
		String frontend = entry.path("frontend").asString();
		return "internal".equals(entry.path("scope").asString()) ? frontend + "/i" : frontend;
	}

	private static String backendAddress(JsonNode backend) {
		String address = backend.path("address").asString();
		String host = address.contains(":") ? "[" + address + "]" : address;
		return host + ":" + backend.path("port").asInt() + "/" + backend.path("protocol").asString();
	}

}
