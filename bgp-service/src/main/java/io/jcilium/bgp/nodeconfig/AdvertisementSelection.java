package io.jcilium.bgp.nodeconfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.common.label.Labels;
import io.jcilium.common.selector.LabelSelector;

/**
 * The routes one family of a peer config advertises: the CiliumBGPAdvertisements its
 * selector picks (none without a selector, as upstream), and of those the pod CIDRs of
 * this node in that family (from the local agent's node state when the service follows
 * it, else from the CiliumNode) and the service addresses the agent serves
 * ({@link ServiceAdvertisements}), with the advertisement's attributes. A prefix two
 * advertisements pick gets the communities of both and the higher local preference; and
 * the multi-pool blocks of this node whose CiliumPodIPPools the {@code CiliumPodIPPool}
 * entries select ({@link PodIpPoolAdvertisements}).
 */
final class AdvertisementSelection {

	private AdvertisementSelection() {
	}

	static void select(CiliumBGPPeerConfig.Family family, Collection<CiliumBGPAdvertisement> advertisements,
			CiliumNode node, NodeState agent, Collection<CiliumPodIPPool> pools, Map<Prefix, RouteAttributes> routes,
			List<String> notices) {
		AddressFamily addressFamily = PeerSettings.family(family);
		if (family.advertisements == null || addressFamily == null) {
			return;
		}
		LabelSelector selector = Selectors.of(family.advertisements,
				"advertisements selector of family " + family.afi + "/" + family.safi);
		for (CiliumBGPAdvertisement advertisement : advertisements) {
			Map<String, String> labels = Objects.requireNonNullElse(advertisement.getMetadata().getLabels(), Map.of());
			if (advertisement.getSpec() == null || !selector.matches(Labels.fromMap(labels, "k8s"))) {
				continue;
			}
			String name = advertisement.getMetadata().getName();
			for (CiliumBGPAdvertisement.Advertisement entry : Objects.requireNonNullElse(
					advertisement.getSpec().advertisements, List.<CiliumBGPAdvertisement.Advertisement>of())) {
				if ("Service".equals(entry.advertisementType)) {
					ServiceAdvertisements.select(name, entry, addressFamily, agent,
							attributes(name, entry.attributes, notices), routes, notices);
					continue;
				}
				if ("CiliumPodIPPool".equals(entry.advertisementType)) {
					RouteAttributes attributes = attributes(name, entry.attributes, notices);
					// Upstream: without a selector the entry selects no pool.
					LabelSelector poolSelector = (entry.selector != null)
							? Selectors.of(entry.selector, "CiliumBGPAdvertisement " + name + " selector") : null;
					PodIpPoolAdvertisements.select(poolSelector, pools,
							PodIpPoolAdvertisements.blocks(node, agent, notices), addressFamily, (pool) -> attributes,
							routes);
					continue;
				}
				if (!"PodCIDR".equals(entry.advertisementType)) {
					addOnce(notices, "CiliumBGPAdvertisement " + name + ": " + entry.advertisementType
							+ " advertisements are not sent yet; PodCIDR, Service and CiliumPodIPPool are");
					continue;
				}
				RouteAttributes attributes = attributes(name, entry.attributes, notices);
				List<Prefix> podCidrs = (agent != null) ? podCidrs(agent, addressFamily)
						: podCidrs(node, addressFamily);
				for (Prefix prefix : podCidrs) {
					routes.merge(prefix, attributes, AdvertisementSelection::merge);
				}
			}
		}
	}

	private static List<Prefix> podCidrs(NodeState agent, AddressFamily family) {
		List<Prefix> prefixes = new ArrayList<>();
		for (String cidr : agent.getPodCidrsList()) {
			try {
				Prefix prefix = Prefix.parse(cidr);
				if (prefix.family() == family) {
					prefixes.add(prefix);
				}
			}
			catch (IllegalArgumentException ex) {
				throw new NodeConfigException("the agent's pod CIDR " + cidr + ": " + ex.getMessage());
			}
		}
		return prefixes;
	}

	static List<Prefix> podCidrs(CiliumNode node, AddressFamily family) {
		List<Prefix> prefixes = new ArrayList<>();
		if (node == null || node.getSpec() == null || node.getSpec().ipam == null
				|| node.getSpec().ipam.podCIDRs == null) {
			return prefixes;
		}
		for (String cidr : node.getSpec().ipam.podCIDRs) {
			Prefix prefix;
			try {
				prefix = Prefix.parse(cidr);
			}
			catch (IllegalArgumentException ex) {
				throw new NodeConfigException(
						"CiliumNode " + node.getMetadata().getName() + " pod CIDR " + cidr + ": " + ex.getMessage());
			}
			if (prefix.family() == family) {
				prefixes.add(prefix);
			}
		}
		return prefixes;
	}

	private static RouteAttributes attributes(String advertisement, CiliumBGPAdvertisement.Attributes attributes,
			List<String> notices) {
		if (attributes == null) {
			return RouteAttributes.DEFAULT;
		}
		CiliumBGPAdvertisement.Communities communities = attributes.communities;
		return (communities != null)
				? attributes("CiliumBGPAdvertisement " + advertisement, communities.standard, communities.wellKnown,
						communities.large, attributes.localPreference, notices)
				: attributes("CiliumBGPAdvertisement " + advertisement, null, null, null, attributes.localPreference,
						notices);
	}

	/**
	 * Route attributes from upstream's communities and local preference, which the v2
	 * advertisements and the older peering policies spell alike.
	 * @param owner the resource they come from, for messages
	 */
	static RouteAttributes attributes(String owner, List<String> standard, List<String> wellKnown, List<String> large,
			Long localPreference, List<String> notices) {
		List<Long> communities = new ArrayList<>();
		try {
			for (String value : Objects.requireNonNullElse(standard, List.<String>of())) {
				communities.add(RouteAttributes.community(value));
			}
			for (String name : Objects.requireNonNullElse(wellKnown, List.<String>of())) {
				communities.add(RouteAttributes.wellKnownCommunity(name));
			}
		}
		catch (IllegalArgumentException ex) {
			throw new NodeConfigException(owner + ": " + ex.getMessage());
		}
		if (large != null && !large.isEmpty()) {
			addOnce(notices, owner + ": large communities (RFC 8092) are not sent yet");
		}
		return new RouteAttributes(null, localPreference, communities);
	}

	static RouteAttributes merge(RouteAttributes a, RouteAttributes b) {
		List<Long> communities = new ArrayList<>(a.communities());
		b.communities().stream().filter((c) -> !communities.contains(c)).forEach(communities::add);
		Long localPref = (a.localPref() == null) ? b.localPref()
				: (b.localPref() == null) ? a.localPref() : Long.valueOf(Math.max(a.localPref(), b.localPref()));
		return new RouteAttributes(a.med(), localPref, communities);
	}

	static void addOnce(List<String> notices, String notice) {
		if (!notices.contains(notice)) {
			notices.add(notice);
		}
	}

}
