package io.jcilium.cli.bgp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * bgp-service's view ({@code GET /actuator/bgp}) as upstream's {@code cilium bgp} prints
 * it: {@code peers} one row per neighbour and family (the neighbour's columns on its
 * first row only), families as {@code ipv4/unicast}, session states in GoBGP's words
 * ({@code opensent}), uptimes as Go durations ({@code 1h2m3s}); {@code routes advertised}
 * one row per neighbour and route, sorted by neighbour and prefix.
 */
final class BgpTables {

	private BgpTables() {
	}

	static String peers(JsonNode view) {
		String node = view.path("node").asString("");
		TextTable table = new TextTable("Node", "Local AS", "Peer AS", "Peer Address", "Session State", "Uptime",
				"Family", "Received", "Advertised");
		for (JsonNode peer : sortedPeers(view)) {
			Set<String> families = new TreeSet<>();
			peer.path("received").propertyNames().forEach(families::add);
			peer.path("advertised").propertyNames().forEach(families::add);
			String[] first = { node, peer.path("localAsn").asString(), peer.path("peerAsn").asString(),
					peer.path("peerAddress").asString(), peer.path("sessionState").asString().replace("-", ""),
					goDuration(peer.path("uptimeSeconds").asLong()) };
			if (families.isEmpty()) {
				table.row(first[0], first[1], first[2], first[3], first[4], first[5], "", "", "");
			}
			boolean firstRow = true;
			for (String family : families) {
				String[] cells = firstRow ? first : new String[] { "", "", "", "", "", "" };
				table.row(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], family.replace('_', '/'),
						peer.path("received").path(family).asString("0"),
						peer.path("advertised").path(family).asString("0"));
				firstRow = false;
			}
		}
		return table.render();
	}

	static JsonNode peersJson(JsonNode view) {
		ArrayNode peers = JsonMapper.shared().createArrayNode();
		for (JsonNode peer : sortedPeers(view)) {
			ObjectNode row = JsonMapper.shared().createObjectNode();
			row.put("node", view.path("node").asString(""));
			row.setAll((ObjectNode) peer);
			peers.add(row);
		}
		return peers;
	}

	static String advertised(JsonNode view, String family) {
		TextTable table = new TextTable("Node", "VRouter", "Peer", "Prefix", "Attrs");
		for (JsonNode route : advertisedJson(view, family)) {
			table.row(route.path("node").asString(), route.path("vrouter").asString(), route.path("peer").asString(),
					route.path("prefix").asString(), attributes(route));
		}
		return table.render();
	}

	/**
	 * The routes sent to each neighbour that has the family up: those of the family it
	 * negotiated that its advertisement selection picks (a route's {@code peers}; a
	 * speaker without that list sends every neighbour every route).
	 */
	static JsonNode advertisedJson(JsonNode view, String family) {
		List<JsonNode> routes = new ArrayList<>();
		view.path("advertised").forEach((route) -> {
			if (family.equals(route.path("family").asString())) {
				routes.add(route);
			}
		});
		routes.sort((a, b) -> comparePrefixes(a.path("prefix").asString(), b.path("prefix").asString()));
		ArrayNode rows = JsonMapper.shared().createArrayNode();
		for (JsonNode peer : sortedPeers(view)) {
			if (!"established".equals(peer.path("sessionState").asString()) || !peer.path("advertised").has(family)) {
				continue;
			}
			for (JsonNode route : routes) {
				if (route.has("peers") && !sentTo(route, peer.path("peerAddress").asString())) {
					continue;
				}
				ObjectNode row = JsonMapper.shared().createObjectNode();
				row.put("node", view.path("node").asString(""));
				row.put("vrouter", peer.path("localAsn").asLong());
				row.put("peer", peer.path("peerAddress").asString());
				row.put("prefix", route.path("prefix").asString());
				row.set("communities", route.path("communities"));
				row.set("localPreference", route.path("localPreference"));
				rows.add(row);
			}
		}
		return rows;
	}

	private static boolean sentTo(JsonNode route, String peerAddress) {
		for (JsonNode peer : route.path("peers")) {
			if (peerAddress.equals(peer.asString())) {
				return true;
			}
		}
		return false;
	}

	private static String attributes(JsonNode route) {
		List<String> attributes = new ArrayList<>();
		List<String> communities = new ArrayList<>();
		route.path("communities").forEach((c) -> communities.add((c.asLong() >>> 16) + ":" + (c.asLong() & 0xffff)));
		if (!communities.isEmpty()) {
			attributes.add("{Communities: " + String.join(", ", communities) + "}");
		}
		if (route.path("localPreference").isNumber()) {
			attributes.add("{LocalPref: " + route.path("localPreference").asLong() + "}");
		}
		return "[" + String.join(" ", attributes) + "]";
	}

	private static List<JsonNode> sortedPeers(JsonNode view) {
		List<JsonNode> peers = new ArrayList<>();
		view.path("peers").forEach(peers::add);
		peers.sort((a, b) -> a.path("peerAddress").asString().compareTo(b.path("peerAddress").asString()));
		return peers;
	}

	/** By family, address (unsigned) and length, so 9.0.0.0/8 sorts before 10.0.0.0/8. */
	private static int comparePrefixes(String a, String b) {
		byte[] left = address(a);
		byte[] right = address(b);
		if (left.length != right.length) {
			return Integer.compare(left.length, right.length);
		}
		int byAddress = Arrays.compareUnsigned(left, right);
		return (byAddress != 0) ? byAddress : Integer.compare(length(a), length(b));
	}

	private static byte[] address(String prefix) {
		String literal = (prefix.indexOf('/') >= 0) ? prefix.substring(0, prefix.indexOf('/')) : prefix;
		try {
			// an IP literal (bgp-service sends prefixes), so no name lookup happens
			return InetAddress.getByName(literal).getAddress();
		}
		catch (UnknownHostException ex) {
			return new byte[0];
		}
	}

	private static int length(String prefix) {
		int slash = prefix.indexOf('/');
		return (slash >= 0) ? Integer.parseInt(prefix.substring(slash + 1)) : 0;
	}

	/** Go's {@code time.Duration} text of whole seconds: 0s, 42s, 5m3s, 2h0m7s. */
	static String goDuration(long seconds) {
		long hours = seconds / 3600;
		long minutes = (seconds % 3600) / 60;
		long rest = seconds % 60;
		if (hours > 0) {
			return hours + "h" + minutes + "m" + rest + "s";
		}
		if (minutes > 0) {
			return minutes + "m" + rest + "s";
		}
		return rest + "s";
	}

}
