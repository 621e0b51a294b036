package io.jcilium.bgp.nodeconfig;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.crd.v2alpha1.CiliumBGPPeeringPolicy;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.bgp.reconcile.SpeakerPlan;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.common.label.Labels;
import io.jcilium.common.selector.LabelSelector;

/**
 * The older cilium.io/v2alpha1 CiliumBGPPeeringPolicy, as upstream's BGPv1 agent reads
 * it: the one policy whose {@code nodeSelector} matches this node's labels (none selects
 * every node; two are an error) becomes a {@link SpeakerPlan}. Each neighbor is
 * translated into the v2 peer and peer config it stands for, so both APIs share the
 * defaults and the peers left out ({@link PeerSettings}); the router id and listening
 * port come from the node's {@code cilium.io/bgp-virtual-router.<asn>} annotation, else
 * the node's IPv4 InternalIP and no listener; {@code exportPodCIDR} advertises the node's
 * pod CIDRs to every neighbor, to each with the attributes of the {@code PodCIDR} entries
 * of its own {@code advertisedPathAttributes}; {@code serviceSelector} advertises the
 * selected services' addresses the local agent serves ({@link PeeringPolicyServices});
 * {@code podIPPoolSelector} advertises this node's blocks of the selected
 * CiliumPodIPPools ({@link PodIpPoolAdvertisements}) to every neighbor, with the
 * attributes of the {@code CiliumPodIPPool} entries of its
 * {@code advertisedPathAttributes} that select the pool. Plain Java.
 */
public final class PeeringPolicyTranslator {

	private PeeringPolicyTranslator() {
	}

	/**
	 * @param policies every CiliumBGPPeeringPolicy
	 * @param node this node's CiliumNode, whose labels select, or {@code null}
	 * @param nodeName this node's name, for messages
	 * @return the policy for this node, or {@code null} when none selects it
	 * @throws NodeConfigException when more than one selects it, or the node is unknown
	 */
	public static CiliumBGPPeeringPolicy select(Collection<CiliumBGPPeeringPolicy> policies, CiliumNode node,
			String nodeName) {
		if (policies.isEmpty()) {
			return null;
		}
		if (node == null) {
			throw new NodeConfigException("CiliumNode " + nodeName + " does not exist: its labels decide which "
					+ "CiliumBGPPeeringPolicy applies to this node");
		}
		Labels labels = Labels.fromMap(Objects.requireNonNullElse(node.getMetadata().getLabels(), Map.of()), "k8s");
		List<String> selecting = new ArrayList<>();
		CiliumBGPPeeringPolicy selected = null;
		for (CiliumBGPPeeringPolicy policy : policies) {
			String name = policy.getMetadata().getName();
			if (policy.getSpec() != null
					&& Selectors.of(policy.getSpec().nodeSelector, "CiliumBGPPeeringPolicy " + name + " nodeSelector")
						.matches(labels)) {
				selecting.add(name);
				selected = policy;
			}
		}
		if (selecting.size() > 1) {
			selecting.sort(null);
			throw new NodeConfigException("CiliumBGPPeeringPolicies " + String.join(", ", selecting)
					+ " all select node " + nodeName + "; only one may: change their nodeSelectors");
		}
		return selected;
	}

	/**
	 * @param policy the policy selecting this node
	 * @param node this node's CiliumNode
	 * @param agent the local agent's node state, {@code null} while none is known
	 * @return the plan and what it leaves out
	 * @throws NodeConfigException when the speaker cannot run the policy at all
	 */
	public static NodeConfigTranslation translate(CiliumBGPPeeringPolicy policy, CiliumNode node, NodeState agent) {
		return translate(policy, node, agent, PeerPasswords.NONE);
	}

	/**
	 * @param policy the policy selecting this node
	 * @param node this node's CiliumNode
	 * @param agent the local agent's node state, {@code null} while none is known
	 * @param passwords the TCP MD5 passwords that neighbors' {@code authSecretRef}s name
	 * @return the plan and what it leaves out
	 * @throws NodeConfigException when the speaker cannot run the policy at all
	 */
	public static NodeConfigTranslation translate(CiliumBGPPeeringPolicy policy, CiliumNode node, NodeState agent,
			PeerPasswords passwords) {
		return translate(policy, node, agent, passwords, List.of());
	}

	/**
	 * @param policy the policy selecting this node
	 * @param node this node's CiliumNode
	 * @param agent the local agent's node state, {@code null} while none is known
	 * @param passwords the TCP MD5 passwords that neighbors' {@code authSecretRef}s name
	 * @param pools every CiliumPodIPPool, whose labels {@code podIPPoolSelector} selects
	 * @return the plan and what it leaves out
	 * @throws NodeConfigException when the speaker cannot run the policy at all
	 */
	public static NodeConfigTranslation translate(CiliumBGPPeeringPolicy policy, CiliumNode node, NodeState agent,
			PeerPasswords passwords, Collection<CiliumPodIPPool> pools) {
		String name = "CiliumBGPPeeringPolicy " + policy.getMetadata().getName();
		List<CiliumBGPPeeringPolicy.VirtualRouter> routers = Objects.requireNonNullElse(policy.getSpec().virtualRouters,
				List.of());
		if (routers.size() != 1) {
			throw new NodeConfigException(
					name + " has " + routers.size() + " virtualRouters; this speaker runs exactly one");
		}
		CiliumBGPPeeringPolicy.VirtualRouter router = routers.get(0);
		if (router.localASN == null) {
			throw new NodeConfigException(name + " virtualRouters[0].localASN is required");
		}
		List<String> notices = new ArrayList<>();
		// Upstream's v1: without a podIPPoolSelector no pool is advertised.
		LabelSelector poolSelector = (router.podIPPoolSelector != null)
				? Selectors.of(router.podIPPoolSelector, name + " podIPPoolSelector") : null;
		List<PodIpPoolAdvertisements.Block> blocks = (poolSelector != null)
				? PodIpPoolAdvertisements.blocks(node, agent, notices) : List.of();
		List<NeighbourConfig> neighbours = new ArrayList<>();
		List<CiliumBGPPeeringPolicy.Neighbor> kept = new ArrayList<>();
		List<RouteAttributes> podCidrAttributes = new ArrayList<>();
		for (CiliumBGPPeeringPolicy.Neighbor neighbor : Objects.requireNonNullElse(router.neighbors,
				List.<CiliumBGPPeeringPolicy.Neighbor>of())) {
			CiliumBGPNodeConfig.Peer peer = new CiliumBGPNodeConfig.Peer();
			peer.name = String.valueOf(neighbor.peerAddress);
			peer.peerAddress = peerAddress(name, neighbor.peerAddress);
			peer.peerASN = neighbor.peerASN;
			NeighbourConfig neighbour = PeerSettings.neighbour(peer, peerConfig(neighbor), router.localASN, passwords,
					notices);
			if (neighbour != null) {
				neighbours.add(neighbour);
				kept.add(neighbor);
				podCidrAttributes.add(pathAttributes(name, neighbor, "PodCIDR", Labels.empty(), notices));
			}
		}
		Map<Prefix, RouteAttributes> serviceRoutes = new HashMap<>();
		PeeringPolicyServices.select(name, router, agent, serviceRoutes, notices);
		// Upstream's v1 gives each neighbor the pod CIDRs with the attributes of its own
		// advertisedPathAttributes.
		Map<InetAddress, Map<Prefix, RouteAttributes>> routes = new HashMap<>();
		for (int i = 0; i < neighbours.size(); i++) {
			Map<Prefix, RouteAttributes> selected = new HashMap<>(serviceRoutes);
			if (Boolean.TRUE.equals(router.exportPodCIDR)) {
				RouteAttributes attributes = podCidrAttributes.get(i);
				for (AddressFamily family : AddressFamily.values()) {
					AdvertisementSelection.podCidrs(node, family)
						.forEach((prefix) -> selected.merge(prefix, attributes, AdvertisementSelection::merge));
				}
			}
			CiliumBGPPeeringPolicy.Neighbor neighbor = kept.get(i);
			PodIpPoolAdvertisements.select(poolSelector, pools, blocks, null, (pool) -> pathAttributes(name, neighbor,
					"CiliumPodIPPool", PodIpPoolAdvertisements.labels(pool), notices), selected);
			routes.put(neighbours.get(i).address(), selected);
		}
		VirtualRouterAnnotation annotation = VirtualRouterAnnotation.of(node, router.localASN);
		InetAddress routerId = (annotation.routerId() != null) ? annotation.routerId()
				: NodeConfigTranslator.internalIpv4(node);
		if (routerId == null) {
			throw new NodeConfigException(
					name + ": the node has no IPv4 InternalIP to take a router id from: " + "annotate its CiliumNode "
							+ VirtualRouterAnnotation.PREFIX + router.localASN + "=router-id=<IPv4>");
		}
		InetAddress listen = (annotation.localPort() != 0) ? PeerSettings.address("0.0.0.0", "any") : null;
		SpeakerConfig speaker = new SpeakerConfig(router.localASN, routerId, listen, annotation.localPort(), false);
		return new NodeConfigTranslation(SpeakerPlan.perNeighbour(speaker, neighbours, routes), notices);
	}

	/**
	 * The v2 peer config a v1 neighbor stands for (upstream's migration maps field to
	 * field).
	 */
	private static CiliumBGPPeerConfig.Spec peerConfig(CiliumBGPPeeringPolicy.Neighbor neighbor) {
		CiliumBGPPeerConfig.Spec spec = new CiliumBGPPeerConfig.Spec();
		spec.transport = new CiliumBGPPeerConfig.Transport();
		spec.transport.peerPort = neighbor.peerPort;
		spec.timers = new CiliumBGPPeerConfig.Timers();
		spec.timers.connectRetryTimeSeconds = neighbor.connectRetryTimeSeconds;
		spec.timers.holdTimeSeconds = neighbor.holdTimeSeconds;
		spec.timers.keepAliveTimeSeconds = neighbor.keepAliveTimeSeconds;
		spec.authSecretRef = neighbor.authSecretRef;
		spec.ebgpMultihop = neighbor.eBGPMultihopTTL;
		if (neighbor.gracefulRestart != null) {
			spec.gracefulRestart = new CiliumBGPPeerConfig.GracefulRestart();
			spec.gracefulRestart.enabled = neighbor.gracefulRestart.enabled;
			spec.gracefulRestart.restartTimeSeconds = neighbor.gracefulRestart.restartTimeSeconds;
		}
		if (neighbor.families != null) {
			spec.families = new ArrayList<>();
			for (CiliumBGPPeeringPolicy.Family family : neighbor.families) {
				CiliumBGPPeerConfig.Family v2 = new CiliumBGPPeerConfig.Family();
				v2.afi = family.afi;
				v2.safi = family.safi;
				spec.families.add(v2);
			}
		}
		return spec;
	}

	/**
	 * The address of a v1 {@code peerAddress}, which is written as a CIDR (10.0.0.1/32).
	 */
	private static String peerAddress(String policy, String cidr) {
		if (cidr == null) {
			return null;
		}
		int slash = cidr.indexOf('/');
		if (slash < 0) {
			throw new NodeConfigException(
					policy + " neighbor peerAddress '" + cidr + "' must be a CIDR, as 10.0.0.1/32 or fd00::1/128");
		}
		String address = cidr.substring(0, slash);
		int max = (address.indexOf(':') >= 0) ? 128 : 32;
		try {
			int length = Integer.parseInt(cidr.substring(slash + 1));
			if (length >= 0 && length <= max) {
				return address;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new NodeConfigException(policy + " neighbor peerAddress '" + cidr + "' has no valid prefix length");
	}

	/**
	 * The attributes towards one neighbor of the routes of one kind
	 * ({@code selectorType}): those of every entry of that type in its
	 * {@code advertisedPathAttributes} whose selector matches the routes' labels (pod
	 * CIDRs carry none, so only no selector or one an empty label set satisfies; a pool's
	 * blocks carry the pool's labels, {@link PodIpPoolAdvertisements#labels}).
	 */
	private static RouteAttributes pathAttributes(String name, CiliumBGPPeeringPolicy.Neighbor neighbor,
			String selectorType, Labels labels, List<String> notices) {
		RouteAttributes attributes = RouteAttributes.DEFAULT;
		for (CiliumBGPPeeringPolicy.PathAttributes entry : Objects.requireNonNullElse(neighbor.advertisedPathAttributes,
				List.<CiliumBGPPeeringPolicy.PathAttributes>of())) {
			if (!"PodCIDR".equals(entry.selectorType) && !"CiliumPodIPPool".equals(entry.selectorType)) {
				AdvertisementSelection.addOnce(notices, name + ": advertisedPathAttributes of selectorType "
						+ entry.selectorType + " are not applied yet (PodCIDR and CiliumPodIPPool ones are)");
				continue;
			}
			if (!selectorType.equals(entry.selectorType)
					|| !Selectors.of(entry.selector, name + " advertisedPathAttributes selector").matches(labels)) {
				continue;
			}
			CiliumBGPPeeringPolicy.Communities communities = entry.communities;
			RouteAttributes these = (communities != null)
					? AdvertisementSelection.attributes(name, communities.standard, communities.wellKnown,
							communities.large, entry.localPreference, notices)
					: AdvertisementSelection.attributes(name, null, null, null, entry.localPreference, notices);
			attributes = AdvertisementSelection.merge(attributes, these);
		}
		return attributes;
	}

}
