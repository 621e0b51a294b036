package io.jcilium.agent.node.routing;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jcilium.agent.k8s.Addresses;
import io.jcilium.agent.node.NodePodCidrs;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.net.Cidr;

/**
 * The routes this node needs to reach every other node's pods directly: each pod CIDR and
 * multi-pool block ({@link NodePodCidrs}) of a CiliumNode via that node's InternalIP of
 * the CIDR's family (native), or into the tunnel device, IPv4 and IPv6 alike, for a node
 * with an IPv4 InternalIP as its tunnel endpoint (tunnel). A node whose object does not
 * say all of that (no InternalIP, no pod CIDR, a malformed one, one that overlaps this
 * node's or another node's) is skipped as a whole with the reason, never half-routed: a
 * wrong route would send one node's pods' traffic to another.
 */
final class DirectRoutePlanner {

	private static final String INTERNAL_IP = "InternalIP";

	private final String localNodeName;

	private final String tunnelDevice;

	/**
	 * Routes of native mode, through whichever device reaches each node.
	 * @param localNodeName this node
	 */
	DirectRoutePlanner(String localNodeName) {
		this(localNodeName, null);
	}

	/**
	 * @param localNodeName this node
	 * @param tunnelDevice in tunnel mode, the VXLAN device every route points into (its
	 * programs pick the peer from the ipcache); null in native mode
	 */
	DirectRoutePlanner(String localNodeName, String tunnelDevice) {
		this.localNodeName = localNodeName;
		this.tunnelDevice = tunnelDevice;
	}

	/**
	 * @param nodes every CiliumNode known, this node's included
	 * @return the routes, and the nodes skipped with why
	 */
	Plan plan(Collection<CiliumNode> nodes) {
		List<Cidr> local = List.of();
		Map<String, List<DirectRoute>> candidates = new TreeMap<>();
		Map<String, String> skipped = new TreeMap<>();
		for (CiliumNode node : nodes) {
			String name = node.getMetadata().getName();
			try {
				List<DirectRoute> routes = routes(node, this.tunnelDevice);
				if (this.localNodeName.equals(name)) {
					local = routes.stream().map(DirectRoute::destination).toList();
				}
				else {
					candidates.put(name, routes);
				}
			}
			catch (IllegalArgumentException ex) {
				if (!this.localNodeName.equals(name)) {
					skipped.put(name, ex.getMessage());
				}
			}
		}
		skipOverlapping(candidates, local, skipped);
		Set<DirectRoute> routes = new HashSet<>();
		candidates.values().forEach(routes::addAll);
		return new Plan(Set.copyOf(routes), Map.copyOf(skipped));
	}

	private static void skipOverlapping(Map<String, List<DirectRoute>> candidates, List<Cidr> local,
			Map<String, String> skipped) {
		Map<String, String> overlapping = new LinkedHashMap<>();
		List<String> names = new ArrayList<>(candidates.keySet());
		for (int i = 0; i < names.size(); i++) {
			for (DirectRoute route : candidates.get(names.get(i))) {
				for (Cidr mine : local) {
					if (mine.overlaps(route.destination())) {
						overlapping.put(names.get(i),
								"its pod CIDR " + route.destination() + " overlaps this node's " + mine);
					}
				}
				for (int j = i + 1; j < names.size(); j++) {
					for (DirectRoute other : candidates.get(names.get(j))) {
						if (other.destination().overlaps(route.destination())) {
							overlapping.put(names.get(i), "its pod CIDR " + route.destination() + " overlaps "
									+ other.destination() + " of node " + names.get(j));
							overlapping.put(names.get(j), "its pod CIDR " + other.destination() + " overlaps "
									+ route.destination() + " of node " + names.get(i));
						}
					}
				}
			}
		}
		overlapping.forEach((name, reason) -> {
			candidates.remove(name);
			skipped.put(name, reason);
		});
	}

	private static List<DirectRoute> routes(CiliumNode node, String tunnelDevice) {
		CiliumNode.Spec spec = node.getSpec();
		List<InetAddress> internal = new ArrayList<>();
		if (spec != null && spec.addresses != null) {
			for (CiliumNode.NodeAddress address : spec.addresses) {
				if (INTERNAL_IP.equals(address.type)) {
					InetAddress ip = Addresses.address(address.ip);
					if (ip == null) {
						throw new IllegalArgumentException("its InternalIP '" + address.ip + "' is not an IP address");
					}
					internal.add(ip);
				}
			}
		}
		if (internal.isEmpty()) {
			throw new IllegalArgumentException("it has no InternalIP address in spec.addresses");
		}
		List<String> podCidrs = NodePodCidrs.of(node);
		if (podCidrs.isEmpty()) {
			throw new IllegalArgumentException(
					"it has no pod CIDR in spec.ipam.podCIDRs and no pool block in spec.ipam.pools.allocated");
		}
		List<DirectRoute> routes = new ArrayList<>();
		for (String text : podCidrs) {
			Cidr cidr;
			try {
				cidr = Cidr.parseStrict(text);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("its pod CIDR '" + text + "' is malformed: " + ex.getMessage(), ex);
			}
			if (tunnelDevice != null) {
				// The underlay is IPv4 (the tunnel endpoints are the nodes' IPv4
				// InternalIPs): pod CIDRs of both families go into the device, which
				// encapsulates towards the node the ipcache names. An IPv6 one is a route
				// onto the device without a next hop, as upstream's.
				InetAddress endpoint = internal.stream()
					.filter((ip) -> ip.getAddress().length == 4)
					.findFirst()
					.orElseThrow(() -> new IllegalArgumentException(
							"it has no IPv4 InternalIP, the VXLAN overlay's tunnel endpoint"));
				routes.add(new DirectRoute(cidr, cidr.isIpv4() ? endpoint : null, tunnelDevice));
				continue;
			}
			InetAddress gateway = internal.stream()
				.filter((ip) -> (ip.getAddress().length == 4) == cidr.isIpv4())
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException(
						"it has no InternalIP of the family of its pod CIDR " + cidr));
			routes.add(new DirectRoute(cidr, gateway, tunnelDevice));
		}
		return routes;
	}

	/**
	 * @param routes the routes to install
	 * @param skipped node name to why it gets no route
	 */
	record Plan(Set<DirectRoute> routes, Map<String, String> skipped) {
	}

}
