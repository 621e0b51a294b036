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
