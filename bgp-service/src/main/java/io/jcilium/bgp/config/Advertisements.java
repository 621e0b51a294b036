package io.jcilium.bgp.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.Prefix;

/**
 * The routes a family's advertisement selector picks from the CiliumBGPAdvertisements of
 * a lab file, with their attributes (communities, local preference).
 */
final class Advertisements {

	private Advertisements() {
	}

	static Map<Prefix, RouteAttributes> selected(LabFile file, YamlNode selector, LabFile.Resource node) {
		Map<String, String> matchLabels = selector.get("matchLabels").strings();
		Map<Prefix, RouteAttributes> routes = new HashMap<>();
		if (selector.isMissing()) {
			return routes;
		}
		for (LabFile.Resource advertisement : file.ofKind("CiliumBGPAdvertisement")) {
			if (!advertisement.labels().entrySet().containsAll(matchLabels.entrySet())) {
				continue;
			}
			for (YamlNode entry : advertisement.spec().get("advertisements").list()) {
				String type = entry.get("advertisementType").text();
				if (!"PodCIDR".equals(type)) {
					throw new LabFileException(entry.path() + ": advertisementType " + type
							+ " needs the API server; lab mode advertises PodCIDR only");
				}
				RouteAttributes attributes = attributes(entry.get("attributes"));
				for (YamlNode cidr : node.spec().get("ipam").get("podCIDRs").list()) {
					routes.put(prefix(cidr), attributes);
				}
			}
		}
		return routes;
	}

	private static RouteAttributes attributes(YamlNode attributes) {
		List<Long> communities = new ArrayList<>();
		YamlNode configured = attributes.get("communities");
		for (YamlNode standard : configured.get("standard").list()) {
			try {
				communities.add(RouteAttributes.community(standard.text()));
			}
			catch (IllegalArgumentException ex) {
				throw new LabFileException(standard.path() + ": " + ex.getMessage());
			}
		}
		for (YamlNode wellKnown : configured.get("wellKnown").list()) {
			try {
				communities.add(RouteAttributes.wellKnownCommunity(wellKnown.text()));
			}
			catch (IllegalArgumentException ex) {
				throw new LabFileException(wellKnown.path() + ": " + ex.getMessage());
			}
		}
		YamlNode localPreference = attributes.get("localPreference");
		return new RouteAttributes(null, localPreference.isMissing() ? null : localPreference.number(), communities);
	}

	private static Prefix prefix(YamlNode cidr) {
		try {
			return Prefix.parse(cidr.text());
		}
		catch (IllegalArgumentException ex) {
			throw new LabFileException(cidr.path() + ": " + ex.getMessage());
		}
	}

}
