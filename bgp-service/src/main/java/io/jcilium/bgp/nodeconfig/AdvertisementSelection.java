package io.jcilium.bgp.nodeconfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.common.label.Labels;
import io.jcilium.common.selector.LabelSelector;
import io.jcilium.common.selector.Requirement;

/**
 * The routes one family of a peer config advertises: the CiliumBGPAdvertisements its
 * selector picks (none without a selector, as upstream), and of those the pod CIDRs of
 * this node in that family, with the advertisement's attributes. A prefix two
 * advertisements pick gets the communities of both and the higher local preference.
 * Service and pod IP pool advertisements need the agent's node state (issue 18 point 4)
 * and are reported, not advertised.
 */
final class AdvertisementSelection {

	private AdvertisementSelection() {
	}

	static void select(CiliumBGPPeerConfig.Family family, Collection<CiliumBGPAdvertisement> advertisements,
			CiliumNode node, Map<Prefix, RouteAttributes> routes, List<String> notices) {
		AddressFamily addressFamily = PeerSettings.family(family);
		if (family.advertisements == null || addressFamily == null) {
			return;
		}
		LabelSelector selector = selector(family.advertisements);
		for (CiliumBGPAdvertisement advertisement : advertisements) {
			Map<String, String> labels = Objects.requireNonNullElse(advertisement.getMetadata().getLabels(), Map.of());
			if (advertisement.getSpec() == null || !selector.matches(Labels.fromMap(labels, "k8s"))) {
				continue;
			}
			String name = advertisement.getMetadata().getName();
			for (CiliumBGPAdvertisement.Advertisement entry : Objects.requireNonNullElse(
					advertisement.getSpec().advertisements, List.<CiliumBGPAdvertisement.Advertisement>of())) {
				if (!"PodCIDR".equals(entry.advertisementType)) {
					addOnce(notices, "CiliumBGPAdvertisement " + name + ": " + entry.advertisementType
							+ " advertisements are not sent yet (they need the agent's node state); PodCIDR is");
					continue;
				}
				RouteAttributes attributes = attributes(name, entry.attributes, notices);
				for (Prefix prefix : podCidrs(node, addressFamily)) {
					routes.merge(prefix, attributes, AdvertisementSelection::merge);
				}
			}
		}
	}

	private static List<Prefix> podCidrs(CiliumNode node, AddressFamily family) {
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
		List<Long> communities = new ArrayList<>();
		if (attributes.communities != null) {
			try {
				for (String standard : Objects.requireNonNullElse(attributes.communities.standard, List.<String>of())) {
					communities.add(RouteAttributes.community(standard));
				}
				for (String wellKnown : Objects.requireNonNullElse(attributes.communities.wellKnown,
						List.<String>of())) {
					communities.add(RouteAttributes.wellKnownCommunity(wellKnown));
				}
			}
			catch (IllegalArgumentException ex) {
				throw new NodeConfigException("CiliumBGPAdvertisement " + advertisement + ": " + ex.getMessage());
			}
			if (attributes.communities.large != null && !attributes.communities.large.isEmpty()) {
				addOnce(notices,
						"CiliumBGPAdvertisement " + advertisement + ": large communities (RFC 8092) are not sent yet");
			}
		}
		return new RouteAttributes(null, attributes.localPreference, communities);
	}

	private static RouteAttributes merge(RouteAttributes a, RouteAttributes b) {
		List<Long> communities = new ArrayList<>(a.communities());
		b.communities().stream().filter((c) -> !communities.contains(c)).forEach(communities::add);
		Long localPref = (a.localPref() == null) ? b.localPref()
				: (b.localPref() == null) ? a.localPref() : Long.valueOf(Math.max(a.localPref(), b.localPref()));
		return new RouteAttributes(a.med(), localPref, communities);
	}

	private static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector selector) {
		List<Requirement> expressions = new ArrayList<>();
		for (LabelSelectorRequirement expression : Objects.requireNonNullElse(selector.getMatchExpressions(),
				List.<LabelSelectorRequirement>of())) {
			expressions.add(Requirement.of(expression.getKey(), expression.getOperator(),
					Objects.requireNonNullElse(expression.getValues(), List.of())));
		}
		return LabelSelector.of(Objects.requireNonNullElse(selector.getMatchLabels(), Map.of()), expressions);
	}

	private static void addOnce(List<String> notices, String notice) {
		if (!notices.contains(notice)) {
			notices.add(notice);
		}
	}

}
