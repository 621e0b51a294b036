package io.jcilium.agent.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.api.crd.v2.CiliumNode;

/**
 * Every prefix a CiliumNode's pods take addresses from: its pod CIDRs
 * ({@code spec.ipam.podCIDRs}, cluster-pool) and the blocks of every pool allocated to it
 * ({@code spec.ipam.pools.allocated}, multi-pool), so routes and the ipcache reach the
 * pods of every pool on every node alike.
 */
public final class NodePodCidrs {

	private NodePodCidrs() {
	}

	/**
	 * @param node a CiliumNode
	 * @return its pod CIDRs, then its pool blocks, as written (unparsed)
	 */
	public static List<String> of(CiliumNode node) {
		List<String> cidrs = new ArrayList<>();
		CiliumNode.Spec spec = node.getSpec();
		if (spec == null || spec.ipam == null) {
			return cidrs;
		}
		if (spec.ipam.podCIDRs != null) {
			cidrs.addAll(spec.ipam.podCIDRs);
		}
		poolBlocks(node).values().forEach(cidrs::addAll);
		return cidrs;
	}

	/**
	 * @param node a CiliumNode
	 * @return pool name to the blocks allocated to the node
	 * ({@code spec.ipam.pools.allocated})
	 */
	public static Map<String, List<String>> poolBlocks(CiliumNode node) {
		Map<String, List<String>> blocks = new LinkedHashMap<>();
		CiliumNode.Spec spec = node.getSpec();
		if (spec == null || spec.ipam == null || spec.ipam.pools == null || spec.ipam.pools.allocated == null) {
			return blocks;
		}
		for (CiliumNode.IpamPoolAllocation allocation : spec.ipam.pools.allocated) {
			if (allocation != null && allocation.pool != null && allocation.cidrs != null) {
				blocks.computeIfAbsent(allocation.pool, (pool) -> new ArrayList<>()).addAll(allocation.cidrs);
			}
		}
		return blocks;
	}

}
