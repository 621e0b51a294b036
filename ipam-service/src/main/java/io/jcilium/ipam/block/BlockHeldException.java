package io.jcilium.ipam.block;

import java.util.List;

/**
 * A block cannot be recorded for a node: another node holds it, or the node holds another
 * block of the same pool family. Two sources of truth disagree (IPAM's record and the
 * node's CiliumNode), and IPAM changes nothing rather than let two nodes share addresses.
 */
public class BlockHeldException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final boolean heldByAnotherNode;

	BlockHeldException(BlockSpace space, String node, String block, List<String> nodeBlocks) {
		super(nodeBlocks.isEmpty()
				? "block " + block + " of " + space.describe() + " is held by another node: node " + node
						+ " cannot claim it (two nodes would share addresses); release it from the other node first"
				: "node " + node + " holds " + nodeBlocks + " of " + space.describe() + ", not " + block
						+ ": its CiliumNode and IPAM disagree; release the node's CIDRs first");
		this.heldByAnotherNode = nodeBlocks.isEmpty();
	}

	/** Whether another node holds the block (else the node holds another block). */
	public boolean heldByAnotherNode() {
		return this.heldByAnotherNode;
	}

}
