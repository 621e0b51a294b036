package io.jcilium.operator.node;

import java.util.List;
import java.util.Set;

/**
 * What the node lifecycle needs from cluster IPAM (ipam-service): pod CIDRs per node.
 */
public interface NodeCidrAllocator {

	/**
	 * The node's pod CIDRs, allocated on first call; asking again returns the same ones.
	 * @param node the node name
	 * @return the CIDRs, e.g. {@code 10.0.1.0/24} and {@code fd00:0:0:1::/64}
	 */
	List<String> allocate(String node);

	/**
	 * Records CIDRs the node already has in its CiliumNode, the source of truth once IPAM
	 * lost its data, so that they are never allocated to another node.
	 * @param node the node name
	 * @param podCidrs the CIDRs of its CiliumNode
	 * @return the node's CIDRs in IPAM afterwards
	 * @throws RuntimeException when IPAM records one for another node: nothing changes
	 */
	List<String> claim(String node, List<String> podCidrs);

	/**
	 * Release every CIDR the node holds; releasing a node with none is not an error.
	 * @param node the node name
	 */
	void release(String node);

	/**
	 * Every node holding CIDRs: IPAM's own record of allocations, reconciled against the
	 * existing Nodes so a CIDR is released even when its Node and CiliumNode vanished
	 * together or while no operator was leading.
	 * @return node names
	 */
	Set<String> allocatedNodes();

}
