package io.jcilium.agent.datapath.nat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import io.jcilium.common.net.Cidr;

/**
 * The destinations masquerading leaves alone, as upstream's ip-masq-agent computes them:
 * the configured list, or, when none is configured, ip-masq-agent's defaults (RFC 1918,
 * RFC 6598 shared space, the IETF protocol assignments, the documentation and benchmark
 * ranges, 6to4 relays, class E); plus link-local 169.254.0.0/16 unless
 * {@code masqLinkLocal} is set. Plain Java: no kernel in sight.
 */
public final class NonMasqueradeCidrs {

	/** ip-masq-agent's (and upstream Cilium's) defaults when the list is empty. */
	public static final List<String> DEFAULTS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
			"100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15", "198.51.100.0/24",
			"203.0.113.0/24", "240.0.0.0/4");

	/** Link-local (RFC 3927), left alone unless masqLinkLocal. */
	public static final String LINK_LOCAL = "169.254.0.0/16";

	private NonMasqueradeCidrs() {
	}

	/**
	 * The prefixes to write into the non-masquerade map.
	 * @param configured the configured CIDRs, empty for the defaults
	 * @param masqLinkLocal whether link-local destinations are masqueraded
	 * @return the prefixes, sorted, without duplicates
	 * @throws IllegalArgumentException naming the entry that is no IPv4 network
	 */
	public static List<Cidr> effective(List<String> configured, boolean masqLinkLocal) {
		List<String> texts = new ArrayList<>(configured.isEmpty() ? DEFAULTS : configured);
		if (!masqLinkLocal) {
			texts.add(LINK_LOCAL);
		}
		TreeSet<Cidr> prefixes = new TreeSet<>();
		for (String text : texts) {
			prefixes.add(parse(text));
		}
		return List.copyOf(prefixes);
	}

	private static Cidr parse(String text) {
		Cidr cidr;
		try {
			cidr = Cidr.parseStrict(text);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("jcilium.agent.masquerade.non-masquerade-cidrs: '" + text
					+ "' is not a network in CIDR notation (e.g. 10.0.0.0/8): " + ex.getMessage(), ex);
		}
		if (!cidr.isIpv4()) {
			throw new IllegalArgumentException("jcilium.agent.masquerade.non-masquerade-cidrs: '" + text
					+ "' is IPv6; masquerading is IPv4 only, so list IPv4 networks");
		}
		return cidr;
	}

}
