package io.jcilium.bgp.nodeconfig;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.bgp.reconcile.SpeakerPlan;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.Prefix;

/**
 * Turns this node's CiliumBGPNodeConfig, with the peer configs and advertisements it
 * refers to, into a {@link SpeakerPlan} where each peer gets the advertisements its own
 * peer config's families select, with upstream's defaults (peer port 179, hold time 90 s,
 * connect retry 120 s, graceful restart off and 120 s when on, IPv4 and IPv6 unicast) and
 * upstream's router id fallback (the node's IPv4 InternalIP). A peer the speaker cannot
 * run as configured (no address, AS learnt from the OPEN, a TCP MD5 password it cannot
 * have) is left out with a notice rather than run without what was asked: the other peers
 * go on. Plain Java.
 */
public final class NodeConfigTranslator {

	private NodeConfigTranslator() {
	}

	/**
	 * @param nodeConfig this node's config
	 * @param peerConfigs every CiliumBGPPeerConfig
	 * @param advertisements every CiliumBGPAdvertisement
	 * @param node this node's CiliumNode (pod CIDRs, addresses), or {@code null}
	 * @return the plan and what it leaves out
	 * @throws NodeConfigException when the speaker cannot run the config at all
	 */
	public static NodeConfigTranslation translate(CiliumBGPNodeConfig nodeConfig,
			Collection<CiliumBGPPeerConfig> peerConfigs, Collection<CiliumBGPAdvertisement> advertisements,
			CiliumNode node) {
		return translate(nodeConfig, peerConfigs, advertisements, node, null);
	}

	/**
	 * @param nodeConfig this node's config
	 * @param peerConfigs every CiliumBGPPeerConfig
	 * @param advertisements every CiliumBGPAdvertisement
	 * @param node this node's CiliumNode (pod CIDRs, addresses), or {@code null}
	 * @param agent the local agent's node state (pod CIDRs, served service addresses), or
	 * {@code null} when the service does not follow one or none has arrived
	 * @return the plan and what it leaves out
	 * @throws NodeConfigException when the speaker cannot run the config at all
	 */
	public static NodeConfigTranslation translate(CiliumBGPNodeConfig nodeConfig,
			Collection<CiliumBGPPeerConfig> peerConfigs, Collection<CiliumBGPAdvertisement> advertisements,
			CiliumNode node, NodeState agent) {
		return translate(nodeConfig, peerConfigs, advertisements, node, agent, PeerPasswords.NONE);
	}

	/**
	 * @param nodeConfig this node's config
	 * @param peerConfigs every CiliumBGPPeerConfig
	 * @param advertisements every CiliumBGPAdvertisement
	 * @param node this node's CiliumNode (pod CIDRs, addresses), or {@code null}
	 * @param agent the local agent's node state, or {@code null}
	 * @param passwords the TCP MD5 passwords that peer configs' {@code authSecretRef}s
	 * name
	 * @return the plan and what it leaves out
	 * @throws NodeConfigException when the speaker cannot run the config at all
	 */
	public static NodeConfigTranslation translate(CiliumBGPNodeConfig nodeConfig,
			Collection<CiliumBGPPeerConfig> peerConfigs, Collection<CiliumBGPAdvertisement> advertisements,
			CiliumNode node, NodeState agent, PeerPasswords passwords) {
		return translate(nodeConfig, peerConfigs, advertisements, node, agent, passwords, List.of());
	}

	/**
	 * @param nodeConfig this node's config
	 * @param peerConfigs every CiliumBGPPeerConfig
	 * @param advertisements every CiliumBGPAdvertisement
	 * @param node this node's CiliumNode (pod CIDRs, pool blocks, addresses), or
	 * {@code null}
	 * @param agent the local agent's node state, or {@code null}
	 * @param passwords the TCP MD5 passwords that peer configs' {@code authSecretRef}s
	 * name
	 * @param pools every CiliumPodIPPool, whose labels {@code CiliumPodIPPool}
	 * advertisements select
	 * @return the plan and what it leaves out
	 * @throws NodeConfigException when the speaker cannot run the config at all
	 */
	public static NodeConfigTranslation translate(CiliumBGPNodeConfig nodeConfig,
			Collection<CiliumBGPPeerConfig> peerConfigs, Collection<CiliumBGPAdvertisement> advertisements,
			CiliumNode node, NodeState agent, PeerPasswords passwords, Collection<CiliumPodIPPool> pools) {
		String name = nodeConfig.getMetadata().getName();
		List<CiliumBGPNodeConfig.Instance> instances = (nodeConfig.getSpec() != null)
				? Objects.requireNonNullElse(nodeConfig.getSpec().bgpInstances, List.of()) : List.of();
		if (instances.size() != 1) {
			throw new NodeConfigException("CiliumBGPNodeConfig " + name + " has " + instances.size()
					+ " entries in spec.bgpInstances; this speaker runs exactly one");
		}
		CiliumBGPNodeConfig.Instance instance = instances.get(0);
		if (instance.localASN == null) {
			throw new NodeConfigException(
					"CiliumBGPNodeConfig " + name + " spec.bgpInstances[0].localASN is required: set it in the "
							+ "CiliumBGPClusterConfig or the node's CiliumBGPNodeConfigOverride");
		}
		Map<String, CiliumBGPPeerConfig> peerConfigByName = new HashMap<>();
		peerConfigs.forEach((config) -> peerConfigByName.put(config.getMetadata().getName(), config));
		List<String> notices = new ArrayList<>();
		List<NeighbourConfig> neighbours = new ArrayList<>();
		Map<InetAddress, Map<Prefix, RouteAttributes>> routes = new HashMap<>();
		InetAddress localAddress = null;
		for (CiliumBGPNodeConfig.Peer peer : Objects.requireNonNullElse(instance.peers,
				List.<CiliumBGPNodeConfig.Peer>of())) {
			CiliumBGPPeerConfig.Spec spec = peerConfig(peer, peerConfigByName, notices);
			NeighbourConfig neighbour = PeerSettings.neighbour(peer, spec, instance.localASN, passwords, notices);
			if (neighbour == null) {
				continue;
			}
			neighbours.add(neighbour);
			// As upstream, each peer gets only what its own families' selectors pick.
			Map<Prefix, RouteAttributes> selected = routes.computeIfAbsent(neighbour.address(),
					(address) -> new HashMap<>());
			for (CiliumBGPPeerConfig.Family family : PeerSettings.families(spec)) {
				AdvertisementSelection.select(family, advertisements, node, agent, pools, selected, notices);
			}
			if (peer.localAddress != null) {
				localAddress = PeerSettings.address(peer.localAddress, "peer " + peer.name + " localAddress");
			}
		}
		InetAddress routerId = routerId(name, instance, node);
		InetAddress listen = null;
		if (instance.localPort != null) {
			listen = (localAddress != null) ? localAddress : PeerSettings.address("0.0.0.0", "any");
		}
		else if (localAddress != null) {
			notices.add("localAddress is used only with localPort set: this speaker binds its sessions' source "
					+ "address where it listens");
		}
		SpeakerConfig speaker = new SpeakerConfig(instance.localASN, routerId, listen,
				Objects.requireNonNullElse(instance.localPort, 0), false);
		return new NodeConfigTranslation(SpeakerPlan.perNeighbour(speaker, neighbours, routes), notices);
	}

	private static CiliumBGPPeerConfig.Spec peerConfig(CiliumBGPNodeConfig.Peer peer,
			Map<String, CiliumBGPPeerConfig> peerConfigs, List<String> notices) {
		if (peer.peerConfigRef == null) {
			return new CiliumBGPPeerConfig.Spec();
		}
		CiliumBGPPeerConfig config = peerConfigs.get(peer.peerConfigRef.name);
		if (config == null || config.getSpec() == null) {
			// Upstream runs the peer with the defaults until the peer config appears.
			notices.add("peer " + peer.name + ": CiliumBGPPeerConfig " + peer.peerConfigRef.name
					+ " does not exist, running the peer with the defaults");
			return new CiliumBGPPeerConfig.Spec();
		}
		return config.getSpec();
	}

	private static InetAddress routerId(String name, CiliumBGPNodeConfig.Instance instance, CiliumNode node) {
		if (instance.routerID != null) {
			InetAddress id = PeerSettings.address(instance.routerID, "routerID");
			if (!(id instanceof Inet4Address)) {
				throw new NodeConfigException(
						"CiliumBGPNodeConfig " + name + " routerID " + instance.routerID + " must be an IPv4 address");
			}
			return id;
		}
		InetAddress internal = internalIpv4(node);
		if (internal != null) {
			return internal;
		}
		throw new NodeConfigException("CiliumBGPNodeConfig " + name + " has no routerID and the node has no IPv4 "
				+ "InternalIP to take one from: set routerID in a CiliumBGPNodeConfigOverride named " + name);
	}

	/**
	 * Upstream's router id fallback: the node's IPv4 InternalIP, or {@code null}.
	 */
	static InetAddress internalIpv4(CiliumNode node) {
		if (node != null && node.getSpec() != null && node.getSpec().addresses != null) {
			for (CiliumNode.NodeAddress address : node.getSpec().addresses) {
				if ("InternalIP".equals(address.type) && address.ip != null && address.ip.indexOf(':') < 0) {
					return PeerSettings.address(address.ip, "CiliumNode InternalIP");
				}
			}
		}
		return null;
	}

}
