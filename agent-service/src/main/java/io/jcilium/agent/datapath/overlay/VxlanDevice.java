package io.jcilium.agent.datapath.overlay;

import io.jcilium.agent.node.routing.IpCommand;
import io.jcilium.agent.node.routing.RouteException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The node's VXLAN device, in external (collect-metadata) mode: it has no VNI or remote
 * of its own, the overlay programs set both per packet. It does no ARP (the routes into
 * it name a next hop only as a label) and no IPv6 addressing (it would send neighbour and
 * router solicitations into the overlay). An existing device of that name is kept when it
 * is such a device on the right port, so a restarted agent does not cut the tunnels; any
 * other device of that name is replaced.
 */
final class VxlanDevice {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final IpCommand ip;

	private final String name;

	private final int port;

	private final int mtu;

	/**
	 * @param ip how to run {@code ip} in this node's namespace
	 * @param name the device name
	 * @param port VXLAN's UDP port
	 * @param mtu the device's MTU (the underlay's less the encapsulation)
	 */
	VxlanDevice(IpCommand ip, String name, int port, int mtu) {
		this.ip = ip;
		this.name = name;
		this.port = port;
		this.mtu = mtu;
	}

	/**
	 * Creates or adopts the device and brings it up.
	 * @return its ifindex
	 * @throws RouteException when iproute2 fails
	 */
	int ensure() {
		JsonNode existing = existing();
		if (existing != null && !suitable(existing)) {
			this.ip.run("removing " + this.name + ", which is no external VXLAN device on port " + this.port, "link",
					"del", "dev", this.name);
			existing = null;
		}
		if (existing == null) {
			this.ip.run("creating the VXLAN device " + this.name, "link", "add", this.name, "type", "vxlan", "external",
					"dstport", Integer.toString(this.port));
		}
		this.ip.run("configuring " + this.name, "link", "set", "dev", this.name, "mtu", Integer.toString(this.mtu),
				"arp", "off", "addrgenmode", "none");
		this.ip.run("bringing " + this.name + " up", "link", "set", "dev", this.name, "up");
		return ifindex();
	}

	private JsonNode existing() {
		String json;
		try {
			json = this.ip.run("reading " + this.name, "-d", "-j", "link", "show", "dev", this.name);
		}
		catch (RouteException ex) {
			if (ex.getMessage().contains("does not exist")) {
				return null;
			}
			throw ex;
		}
		JsonNode links;
		try {
			links = JSON.readTree(json.isBlank() ? "[]" : json);
		}
		catch (JsonProcessingException ex) {
			throw new RouteException("ip printed no JSON reading " + this.name + ": " + ex.getOriginalMessage(), ex);
		}
		return links.isEmpty() ? null : links.get(0);
	}

	private boolean suitable(JsonNode link) {
		JsonNode info = link.path("linkinfo");
		JsonNode data = info.path("info_data");
		return "vxlan".equals(info.path("info_kind").asText("")) && data.path("external").asBoolean(false)
				&& data.path("port").asInt(-1) == this.port;
	}

	private int ifindex() {
		// From iproute2, not NetworkInterface: the JDK lists only devices with an
		// address,
		// and this one has none.
		JsonNode link = existing();
		int index = (link != null) ? link.path("ifindex").asInt(0) : 0;
		if (index <= 0) {
			throw new RouteException(this.name + " has no ifindex after creating it");
		}
		return index;
	}

}
