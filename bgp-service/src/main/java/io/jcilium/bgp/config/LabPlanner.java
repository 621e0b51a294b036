package io.jcilium.bgp.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.bgp.reconcile.SpeakerPlan;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;

/**
 * Turns a lab file into what the speaker runs for one node, with upstream's defaults
 * (hold time 90 s, connect retry 120 s, restart time 120 s, port 179, IPv4 and IPv6
 * unicast). Lab mode has no services to select: only PodCIDR advertisements, of the pod
 * CIDRs of the node's CiliumNode.
 */
public final class LabPlanner {

	private LabPlanner() {
	}

	/**
	 * @param file the lab file
	 * @param nodeName the node to plan for, or {@code null} when the file has one
	 * CiliumNode
	 * @return the plan
	 * @throws LabFileException when the file cannot be run, naming the field
	 */
	public static SpeakerPlan plan(LabFile file, String nodeName) {
		LabFile.Resource node = node(file, nodeName);
		List<LabFile.Resource> clusters = file.ofKind("CiliumBGPClusterConfig");
		if (clusters.size() != 1 || clusters.get(0).spec().get("bgpInstances").list().size() != 1) {
			throw new LabFileException("lab mode runs one BGP instance: the file needs exactly one "
					+ "CiliumBGPClusterConfig with one entry in spec.bgpInstances");
		}
		YamlNode instance = clusters.get(0).spec().get("bgpInstances").list().get(0);
		String instanceName = instance.get("name").text();
		long localAsn = instance.get("localASN").number();
		LabFile.Resource override = file.named("CiliumBGPNodeConfigOverride", node.name());
		YamlNode instanceOverride = instanceOverride(override, instanceName);
		if (instanceOverride == null || instanceOverride.get("routerID").isMissing()) {
			throw new LabFileException("lab mode needs the router id: add a CiliumBGPNodeConfigOverride named after "
					+ "the node with spec.bgpInstances[name=" + instanceName + "].routerID");
		}
		InetAddress routerId = address(instanceOverride.get("routerID"));
		InetAddress listen = null;
		List<NeighbourConfig> neighbours = new ArrayList<>();
		Map<InetAddress, Map<Prefix, RouteAttributes>> routes = new HashMap<>();
		for (YamlNode peer : instance.get("peers").list()) {
			String peerName = peer.get("name").text();
			YamlNode peerConfig = peerConfig(file, peer);
			NeighbourConfig neighbour = neighbour(peer, peerConfig, localAsn);
			neighbours.add(neighbour);
			// Each peer gets what its own families' selectors pick, as upstream.
			Map<Prefix, RouteAttributes> selected = routes.computeIfAbsent(neighbour.address(),
					(address) -> new HashMap<>());
			for (YamlNode family : peerConfig.get("families").list()) {
				selected.putAll(Advertisements.selected(file, family.get("advertisements"), node));
			}
			for (YamlNode peerOverride : instanceOverride.get("peers").list()) {
				if (peerOverride.get("name").text().equals(peerName) && !peerOverride.get("localAddress").isMissing()) {
					listen = address(peerOverride.get("localAddress"));
				}
			}
		}
		int port = (int) instanceOverride.get("localPort").number(179);
		SpeakerConfig speaker = new SpeakerConfig(localAsn, routerId, (listen != null) ? listen : anyAddress(), port,
				false);
		return SpeakerPlan.perNeighbour(speaker, neighbours, routes);
	}

	private static LabFile.Resource node(LabFile file, String nodeName) {
		List<LabFile.Resource> nodes = file.ofKind("CiliumNode");
		if (nodeName == null) {
			if (nodes.size() != 1) {
				throw new LabFileException("the lab file has " + nodes.size()
						+ " CiliumNodes: set bgp.node-name to the one this speaker runs as");
			}
			return nodes.get(0);
		}
		LabFile.Resource node = file.named("CiliumNode", nodeName);
		if (node == null) {
			throw new LabFileException("the lab file has no CiliumNode named " + nodeName);
		}
		return node;
	}

	private static YamlNode instanceOverride(LabFile.Resource override, String instanceName) {
		if (override != null) {
			for (YamlNode instance : override.spec().get("bgpInstances").list()) {
				if (instance.get("name").text().equals(instanceName)) {
					return instance;
				}
			}
		}
		return null;
	}

	private static YamlNode peerConfig(LabFile file, YamlNode peer) {
		YamlNode ref = peer.get("peerConfigRef").get("name");
		if (ref.isMissing()) {
			return new YamlNode(Map.of(), ref.path());
		}
		LabFile.Resource config = file.named("CiliumBGPPeerConfig", ref.text());
		if (config == null) {
			throw new LabFileException(ref.path() + " names CiliumBGPPeerConfig " + ref.text() + ", not in the file");
		}
		return config.spec();
	}

	private static NeighbourConfig neighbour(YamlNode peer, YamlNode config, long localAsn) {
		if (!config.get("authSecretRef").isMissing()) {
			// Unsigned would be a session the file did not ask for.
			throw new LabFileException(config.get("authSecretRef").path() + ": lab mode reads no Secrets, so it "
					+ "cannot have the TCP MD5 password; run with the API server (bgp.api-server-enabled)");
		}
		long peerAsn = peer.get("peerASN").number();
		long multihop = config.get("ebgpMultihop").number(1);
		if (multihop < 1 || multihop > 255) {
			throw new LabFileException(config.get("ebgpMultihop").path() + ": " + multihop + " is out of 1-255");
		}
		YamlNode timers = config.get("timers");
		YamlNode gr = config.get("gracefulRestart");
		int restartSeconds = gr.get("enabled").bool(false) ? (int) gr.get("restartTimeSeconds").number(120) : 0;
		Set<AddressFamily> families = EnumSet.noneOf(AddressFamily.class);
		for (YamlNode family : config.get("families").list()) {
			families.add(family(family));
		}
		if (families.isEmpty()) {
			families = EnumSet.allOf(AddressFamily.class);
		}
		return new NeighbourConfig(address(peer.get("peerAddress")),
				(int) config.get("transport").get("peerPort").number(179), peerAsn, false,
				(int) timers.get("holdTimeSeconds").number(90), (int) timers.get("connectRetryTimeSeconds").number(120),
				families, restartSeconds, null, (peerAsn != localAsn) ? (int) multihop : 0, null,
				(int) timers.get("keepAliveTimeSeconds").number(0));
	}

	private static AddressFamily family(YamlNode family) {
		String afi = family.get("afi").text();
		String safi = family.get("safi").text();
		if (!"unicast".equals(safi) || !("ipv4".equals(afi) || "ipv6".equals(afi))) {
			throw new LabFileException(family.path() + ": " + afi + "/" + safi + " is not supported: ipv4/unicast and "
					+ "ipv6/unicast are");
		}
		return "ipv4".equals(afi) ? AddressFamily.IPV4_UNICAST : AddressFamily.IPV6_UNICAST;
	}

	private static InetAddress address(YamlNode node) {
		String text = node.text();
		if (!text.matches("[0-9a-fA-F:.]+")) {
			throw new LabFileException(node.path() + ": '" + text + "' is not an IP address");
		}
		try {
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			throw new LabFileException(node.path() + ": '" + text + "' is not an IP address");
		}
	}

	private static InetAddress anyAddress() {
		try {
			return InetAddress.getByAddress(new byte[4]);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
