package io.jcilium.cli.bpf;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;

/**
 * The agent's map entries in upstream's {@code cilium-dbg bpf} layouts.
 */
final class BpfTables {

	private BpfTables() {
	}

	static String ipcache(JsonNode entries) {
		TextTable table = new TextTable("IP PREFIX/ADDRESS", "IDENTITY");
		entries.forEach((entry) -> table.row(entry.path("prefix").asString(), ipcacheInfo(entry)));
		return table.render();
	}

	static String ipcacheInfo(JsonNode entry) {
		int flags = entry.path("flags").asInt();
		return "identity=" + entry.path("identity").asLong() + " encryptkey=0 tunnelendpoint="
				+ entry.path("tunnelEndpoint").asString() + " flags=" + ((flags == 0) ? "<none>" : hex(flags));
	}

	static String endpoints(JsonNode entries) {
		TextTable table = new TextTable("IP ADDRESS", "LOCAL ENDPOINT INFO");
		entries.forEach((entry) -> {
			String address = entry.path("address").asString();
			table.row((address.contains(":") ? "[" + address + "]" : address) + ":0",
					"id=" + entry.path("id").asInt() + " sec_id=" + entry.path("identity").asLong() + " flags="
							+ hex(entry.path("flags").asInt()) + " ifindex=" + entry.path("ifindex").asInt() + " mac="
							+ entry.path("mac").asString() + " nodemac=" + entry.path("nodeMac").asString());
		});
		return table.render();
	}

	static String conntrack(JsonNode entries) {
		StringBuilder out = new StringBuilder();
		entries.forEach((entry) -> out.append(entry.path("protocol").asString())
			.append(' ')
			.append(entry.path("direction").asString())
			.append(' ')
			.append(entry.path("source").asString())
			.append(" -> ")
			.append(entry.path("destination").asString())
			.append(" expires=")
			.append(entry.path("expiresInSeconds").asLong())
			.append("s Packets=")
			.append(entry.path("packets").asLong())
			.append(" Bytes=")
			.append(entry.path("bytes").asLong())
			.append(" RxPackets=")
			.append(entry.path("rxPackets").asLong())
			.append(" RxBytes=")
			.append(entry.path("rxBytes").asLong())
			.append(" Flags=")
			.append(hex(entry.path("flags").asInt()))
			.append(" SourceSecurityID=")
			.append(entry.path("sourceIdentity").asLong())
			.append(" EndpointID=")
			.append(entry.path("endpointId").asInt())
			.append('\n'));
		return out.toString();
	}

	static String metrics(JsonNode entries) {
		TextTable table = new TextTable("REASON", "DIRECTION", "PACKETS", "BYTES");
		entries.forEach((entry) -> table.row(entry.path("description").asString(), entry.path("direction").asString(),
				Long.toString(entry.path("packets").asLong()), Long.toString(entry.path("bytes").asLong())));
		return table.render();
	}

	/** The entry with the longest prefix holding the address, or null. */
	static JsonNode longestPrefix(JsonNode entries, InetAddress address) {
		JsonNode best = null;
		int bestLength = -1;
		for (JsonNode entry : entries) {
			String prefix = entry.path("prefix").asString();
			int slash = prefix.indexOf('/');
			if (slash < 0) {
				continue;
			}
			int length = Integer.parseInt(prefix.substring(slash + 1));
			InetAddress network = parseAddress(prefix.substring(0, slash));
			if (length > bestLength && contains(network, length, address)) {
				best = entry;
				bestLength = length;
			}
		}
		return best;
	}

	static InetAddress parseAddress(String text) {
		String value = (text != null) ? text.strip() : "";
		if (value.isEmpty() || !value.matches("[0-9a-fA-F:.]+") || (!value.contains(".") && !value.contains(":"))) {
			throw new IllegalArgumentException("IP must be an IPv4 or IPv6 address, not '" + text + "'");
		}
		try {
			return InetAddress.getByName(value);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("IP must be an IPv4 or IPv6 address, not '" + text + "'");
		}
	}

	/** 0 for every connection, else the endpoint id to keep; a usage error otherwise. */
	static int ctScope(String scope, String endpoint) {
		String which = (scope != null) ? scope.strip() : "global";
		if (which.equals("global") && (endpoint == null || endpoint.isBlank())) {
			return 0;
		}
		if (which.equals("endpoint")) {
			try {
				int id = Integer.parseInt((endpoint != null) ? endpoint.strip() : "");
				if (id > 0) {
					return id;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			throw new IllegalArgumentException(
					"'bpf ct list endpoint' needs a positive endpoint id ('endpoint list' shows them), not '" + endpoint
							+ "'");
		}
		throw new IllegalArgumentException(
				"'bpf ct list' takes 'global' or 'endpoint ENDPOINT_ID', not '" + scope + " " + endpoint + "'");
	}

	private static boolean contains(InetAddress network, int length, InetAddress address) {
		byte[] net = network.getAddress();
		byte[] addr = address.getAddress();
		if (net.length != addr.length || length > net.length * 8) {
			return false;
		}
		int bits = net.length * 8;
		BigInteger mask = (length == 0) ? BigInteger.ZERO
				: BigInteger.ONE.shiftLeft(bits)
					.subtract(BigInteger.ONE)
					.shiftRight(bits - length)
					.shiftLeft(bits - length);
		return new BigInteger(1, net).and(mask).equals(new BigInteger(1, addr).and(mask));
	}

	private static String hex(int value) {
		return String.format("0x%04x", value);
	}

}
