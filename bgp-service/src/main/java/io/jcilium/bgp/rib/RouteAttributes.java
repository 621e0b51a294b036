package io.jcilium.bgp.rib;

import java.util.List;

/**
 * The attributes we give one of our routes (upstream's CiliumBGPAdvertisement
 * {@code attributes}: communities and local preference), plus MED.
 *
 * @param med MULTI_EXIT_DISC, or {@code null}
 * @param localPref LOCAL_PREF for iBGP neighbours, or {@code null} for the default 100
 * @param communities standard communities (RFC 1997), each an unsigned 32-bit value
 */
public record RouteAttributes(Long med, Long localPref, List<Long> communities) {

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
		throw new IllegalArgumentException(
				"'" + text + "' is not a standard community: expected two 16-bit numbers, as 65000:100");
	}

}
