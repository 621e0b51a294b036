package io.jcilium.agent.datapath.nat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import io.jcilium.agent.node.NodePodCidrs;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.net.Cidr;

/**
 * The destinations masquerading never hides a pod from, whatever the non-masquerade list
 * says: every pod CIDR and pool block of the cluster (upstream excludes the pod CIDRs,
 * {@code IPV4_SNAT_EXCLUSION_DST_CIDR}, without the user listing them), this node's own
 * included. A pod of another node that the ipcache does not know yet is still reached
 * with the sender's own address, so the receiving node's policy sees the real peer. IPv4
 * only, as masquerading; what does not parse is skipped (the node watcher reports bad
 * CiliumNodes). Plain Java: no kernel in sight.
 */
final class ClusterPodCidrs {

	private ClusterPodCidrs() {
	}

	/**
	 * @param nodes every CiliumNode known
	 * @param localPodCidr this node's pod CIDR when known (also without Kubernetes)
	 * @return the IPv4 prefixes, sorted, without duplicates
	 */
	static List<Cidr> of(Collection<CiliumNode> nodes, Optional<String> localPodCidr) {
		List<String> texts = new ArrayList<>();
		nodes.forEach((node) -> texts.addAll(NodePodCidrs.of(node)));
		localPodCidr.ifPresent(texts::add);
		TreeSet<Cidr> prefixes = new TreeSet<>();
		for (String text : texts) {
			try {
				Cidr cidr = Cidr.parse(text);
				if (cidr.isIpv4()) {
					prefixes.add(cidr);
				}
			}
			catch (IllegalArgumentException ignored) {
				// A malformed CIDR from the operator: the node watcher reports it.
			}
		}
		return List.copyOf(prefixes);
	}

}
