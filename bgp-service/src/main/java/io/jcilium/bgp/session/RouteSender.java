package io.jcilium.bgp.session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.bgp.fsm.Negotiated;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.AsPathSegment;
import io.jcilium.bgp.wire.Origin;
import io.jcilium.bgp.wire.PathAttributes;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.bgp.wire.UpdateMessage;
import io.jcilium.bgp.wire.UpdatePacker;

/**
 * Turns our routes into the UPDATEs one session needs: grouped by attributes, packed,
 * with this session's next hops and AS_PATH (our AS prepended towards eBGP, empty towards
 * iBGP, RFC 4271 section 5.1.2), and LOCAL_PREF only towards iBGP (section 5.1.5).
 */
final class RouteSender {

	private static final long DEFAULT_LOCAL_PREF = 100;

	private final long localAsn;

	private final Negotiated negotiated;

	private final Map<AddressFamily, byte[]> nextHops = new EnumMap<>(AddressFamily.class);

	RouteSender(long localAsn, Negotiated negotiated, InetSocketAddress local, NeighbourConfig neighbour) {
		this.localAsn = localAsn;
		this.negotiated = negotiated;
		byte[] ipv4 = NextHops.ipv4(local);
		if (ipv4 != null) {
			this.nextHops.put(AddressFamily.IPV4_UNICAST, ipv4);
		}
		this.nextHops.put(AddressFamily.IPV6_UNICAST, NextHops.ipv6(local, neighbour.ipv6NextHop()));
	}

	/** Whether routes of this family go on this session. */
	boolean carries(AddressFamily family) {
		return this.negotiated.families().contains(family) && this.nextHops.containsKey(family);
	}

	/** UPDATEs announcing routes of one family. */
	List<UpdateMessage> announce(AddressFamily family, Map<Prefix, RouteAttributes> routes) {
		Map<RouteAttributes, List<Prefix>> byAttributes = new LinkedHashMap<>();
		routes.forEach(
				(prefix, attributes) -> byAttributes.computeIfAbsent(attributes, (a) -> new ArrayList<>()).add(prefix));
		return announceGrouped(family, byAttributes);
	}

	/** UPDATEs announcing routes of one family, already grouped by attributes. */
	List<UpdateMessage> announceGrouped(AddressFamily family, Map<RouteAttributes, List<Prefix>> byAttributes) {
		List<UpdateMessage> updates = new ArrayList<>();
		byAttributes.forEach((attributes, prefixes) -> updates.addAll(UpdatePacker.announce(family,
				pathAttributes(attributes), this.nextHops.get(family), prefixes, this.negotiated.codecOptions())));
		return updates;
	}

	List<UpdateMessage> withdraw(AddressFamily family, List<Prefix> prefixes) {
		return UpdatePacker.withdraw(family, prefixes, this.negotiated.codecOptions());
	}

	private PathAttributes pathAttributes(RouteAttributes attributes) {
		boolean internal = this.negotiated.codecOptions().internal();
		List<AsPathSegment> asPath = internal ? List.of() : List.of(AsPathSegment.sequence(List.of(this.localAsn)));
		Long localPref = null;
		if (internal) {
			localPref = (attributes.localPref() != null) ? attributes.localPref() : DEFAULT_LOCAL_PREF;
		}
		return new PathAttributes(Origin.IGP, asPath, null, attributes.med(), localPref, attributes.communities(), null,
				null);
	}

}
