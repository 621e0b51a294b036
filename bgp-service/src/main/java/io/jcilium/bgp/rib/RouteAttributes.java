package io.jcilium.bgp.rib;

import java.util.List;
import java.util.Map;

/**
 * The attributes we give one of our routes (upstream's CiliumBGPAdvertisement
 * {@code attributes}: communities and local preference), plus MED.
 *
 * @param med MULTI_EXIT_DISC, or {@code null}
 * @param localPref LOCAL_PREF for iBGP neighbours, or {@code null} for the default 100
 * @param communities standard communities (RFC 1997), each an unsigned 32-bit value
 */
public record RouteAttributes(Long med, Long localPref, List<Long> communities) {

	/**
	 * Well-known communities by upstream's names (CiliumBGPAdvertisement
	 * {@code communities.wellKnown}): RFC 1997, RFC 3765, RFC 7999, RFC 8326 and the IANA
	 * registry.
	 */
	private static final Map<String, Long> WELL_KNOWN = Map.ofEntries(Map.entry("internet", 0x00000000L),
			Map.entry("planned-shut", 0xFFFF0000L), Map.entry("accept-own", 0xFFFF0001L),
			Map.entry("route-filter-translated-v4", 0xFFFF0002L), Map.entry("route-filter-v4", 0xFFFF0003L),
			Map.entry("route-filter-translated-v6", 0xFFFF0004L), Map.entry("route-filter-v6", 0xFFFF0005L),
			Map.entry("llgr-stale", 0xFFFF0006L), Map.entry("no-llgr", 0xFFFF0007L),
			Map.entry("blackhole", 0xFFFF029AL), Map.entry("no-export", 0xFFFFFF01L),
			Map.entry("no-advertise", 0xFFFFFF02L), Map.entry("no-export-subconfed", 0xFFFFFF03L),
			Map.entry("no-peer", 0xFFFFFF04L));

	/** No MED, default LOCAL_PREF, no communities. */
	public static final RouteAttributes DEFAULT = new RouteAttributes(null, null, List.of());

	public RouteAttributes {
		communities = List.copyOf(communities);
	}

	/**
	 * Parses a community written {@code 65000:100}.
	 * @param text high and low 16-bit halves
	 * @return the 32-bit value
	 */
	public static long community(String text) {
		String[] halves = text.split(":");
		try {
			// Upstream also takes the 32-bit value as one decimal number.
			if (halves.length == 1) {
				long value = Long.parseLong(text.trim());
				if (value >= 0 && value <= 0xFFFFFFFFL) {
					return value;
				}
			}
			if (halves.length == 2) {
				long high = Long.parseLong(halves[0].trim());
				long low = Long.parseLong(halves[1].trim());
				if (high >= 0 && high <= 0xFFFF && low >= 0 && low <= 0xFFFF) {
					return (high << 16) | low;
				}
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("'" + text
				+ "' is not a standard community: expected two 16-bit numbers, as 65000:100, or one 32-bit number");
	}

	/**
	 * The value of a well-known community named as upstream names it.
	 * @param name e.g. {@code no-export}
	 * @return the 32-bit value
	 * @throws IllegalArgumentException naming the accepted names
	 */
	public static long wellKnownCommunity(String name) {
		Long value = WELL_KNOWN.get(name);
		if (value == null) {
			throw new IllegalArgumentException("unknown well-known community " + name + ", expected one of "
					+ new java.util.TreeSet<>(WELL_KNOWN.keySet()));
		}
		return value;
	}

}
