package io.jcilium.agent.node.routing;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.jcilium.agent.k8s.Addresses;
import io.jcilium.common.net.Cidr;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The main routing table through iproute2. Every route carries {@link #PROTOCOL}, a
 * protocol number of this agent's own, so {@link #installed()} finds exactly the routes
 * an agent put there (also a previous run's, which a restart must converge, not
 * duplicate) and never touches routes of the administrator or other daemons.
 */
final class IpRouteTable implements RouteTable {

	/** The routes' protocol ({@code ip route ... proto 198}); not one iproute2 names. */
	static final int PROTOCOL = 198;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final IpCommand ip;

	private final String tunnelDevice;

	/**
	 * @param ipCommand how to run iproute2's {@code ip} in this node's network namespace,
	 * e.g. {@code [ip]}
	 * @param timeout bound on each command
	 * @param tunnelDevice the tunnel device of tunnel mode (a route onto any other device
	 * reads back without one, so switching modes replaces every route), or null
	 */
	IpRouteTable(List<String> ipCommand, Duration timeout, String tunnelDevice) {
		this.ip = new IpCommand(ipCommand, timeout);
		this.tunnelDevice = tunnelDevice;
	}

	@Override
	public Set<DirectRoute> installed() {
		Set<DirectRoute> routes = new HashSet<>();
		for (String family : List.of("-4", "-6")) {
			String json = run("reading the routes of protocol " + PROTOCOL, family, "-j", "route", "show", "proto",
					Integer.toString(PROTOCOL));
			JsonNode listed;
			try {
				listed = JSON.readTree(json.isBlank() ? "[]" : json);
			}
			catch (JsonProcessingException ex) {
				throw new RouteException("ip printed no JSON listing routes: " + ex.getOriginalMessage(), ex);
			}
			for (JsonNode route : listed) {
				InetAddress gateway = Addresses.address(route.path("gateway").asText(""));
				String dst = route.path("dst").asText("");
				String dev = route.path("dev").asText("");
				boolean tunnelled = dev.equals(this.tunnelDevice);
				if ((gateway != null || tunnelled) && !dst.isEmpty() && !"default".equals(dst)) {
					routes.add(new DirectRoute(Cidr.parse(dst), gateway, tunnelled ? dev : null));
				}
			}
		}
		return routes;
	}

	@Override
	public void replace(DirectRoute route) {
		List<String> args = new ArrayList<>(List.of("route", "replace", route.destination().toString()));
		if (route.gateway() != null) {
			args.addAll(List.of("via", route.gateway().getHostAddress()));
		}
		if (route.device() != null) {
			// The overlay device does no ARP (nor neighbour discovery): a next hop is
			// only
			// a label there, the device's program picks the tunnel endpoint from the
			// ipcache.
			args.addAll(List.of("dev", route.device()));
			if (route.gateway() != null) {
				args.add("onlink");
			}
		}
		args.addAll(List.of("proto", Integer.toString(PROTOCOL)));
		run("installing the route " + route, args.toArray(String[]::new));
	}

	@Override
	public void delete(DirectRoute route) {
		run("removing the route " + route, "route", "del", route.destination().toString(), "proto",
				Integer.toString(PROTOCOL));
	}

	private String run(String what, String... args) {
		return this.ip.run(what, args);
	}

}
