package io.jcilium.common.policy.engine;

import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.model.PolicyRule;

/**
 * The prefixes the ipcache needs CIDR identities for so that CIDR rules can be enforced:
 * every CIDR a rule names and every {@code except} inside it. An address then resolves to
 * the longest of these prefixes that contains it, whose identity the CIDR selectors
 * select or not.
 */
public final class CidrPrefixes {

	private CidrPrefixes() {
	}

	/**
	 * The prefixes the rules need.
	 * @param rules the rules in force
	 * @return the prefixes, sorted
	 */
	public static SortedSet<Cidr> required(Collection<PolicyRule> rules) {
		SortedSet<Cidr> prefixes = new TreeSet<>();
		for (PolicyRule rule : rules) {
			for (PeerRule peerRule : rule.rules()) {
				if (peerRule.anyPeer()) {
					continue;
				}
				for (Peer peer : peerRule.peers()) {
					if (peer instanceof Peer.CidrBlock block) {
						if (block.cidr().prefixLength() > 0) {
							prefixes.add(block.cidr());
						}
						prefixes.addAll(block.except());
					}
				}
			}
		}
		return prefixes;
	}

	/**
	 * The longest prefix containing an address.
	 * @param prefixes candidate prefixes
	 * @param address a literal address
	 * @return the longest match, or {@code null} (the address is plain world)
	 */
	public static Cidr longestMatch(Collection<Cidr> prefixes, String address) {
		Cidr best = null;
		for (Cidr prefix : prefixes) {
			if (prefix.contains(address) && (best == null || prefix.prefixLength() > best.prefixLength())) {
				best = prefix;
			}
		}
		return best;
	}

}
