package io.jcilium.agent.k8s;

import java.util.List;

import io.jcilium.common.net.Cidr;

/**
 * The pod CIDR from this node's CiliumNode, with the configured one as fallback while no
 * CiliumNode (or no IPv4 CIDR in it) is known.
 */
final class CiliumNodeCidrSource implements NodeCidrSource {

	private final String fallback;

	private volatile String assigned;

	CiliumNodeCidrSource(String fallback) {
		this.fallback = fallback;
	}

	/**
	 * Take the CIDRs from this node's CiliumNode.
	 * @param podCidrs {@code spec.ipam.podCIDRs}, {@code null} or empty if none
	 */
	void update(List<String> podCidrs) {
		String ipv4 = null;
		if (podCidrs != null) {
			for (String text : podCidrs) {
				try {
					if (Cidr.parse(text).isIpv4()) {
						ipv4 = text;
						break;
					}
				}
				catch (IllegalArgumentException ignored) {
					// A malformed entry is skipped; the operator writes these.
				}
			}
		}
		this.assigned = ipv4;
	}

	@Override
	public String podCidr() {
		String current = this.assigned;
		return (current != null) ? current : this.fallback;
	}

	@Override
	public boolean assignedByCluster() {
		return this.assigned != null;
	}

}
