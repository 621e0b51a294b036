package io.jcilium.ipam.block;

import java.util.List;
import java.util.Set;

/**
 * What block allocation needs from storage. Each operation is atomic on its own; the
 * Redis store runs each as one Lua script, so many ipam-service replicas can share it.
 * <p>
 * A pool key names one family of one pool (e.g. {@code cluster-pool:ipv4}); a block is
 * its CIDR text; an owner is a node name.
 */
public interface BlockStore {

	/**
	 * If {@code node} holds fewer than {@code wanted} blocks under {@code poolKey},
	 * claims free blocks from {@code candidates} in order until it holds {@code wanted}
	 * or the candidates run out, and remembers the position after the last claimed block
	 * as the pool's cursor: candidate {@code i} has number
	 * {@code (firstIndex + i) % total}.
	 * @return every block the node holds under the key afterwards (oldest first) and the
	 * pool's cursor afterwards
	 */
	Claim claim(String poolKey, String node, int wanted, List<String> candidates, long firstIndex, long total);

	/** Blocks {@code node} holds under {@code poolKey}, oldest first. */
	List<String> blocksOf(String poolKey, String node);

	/** Where the next search should start (0 when nothing was ever claimed). */
	long cursor(String poolKey);

	/** Frees {@code block} only if {@code node} holds it. */
	boolean release(String poolKey, String node, String block);

	/** Frees every block {@code node} holds under {@code poolKey}; returns them. */
	List<String> releaseAll(String poolKey, String node);

	/** Nodes holding at least one block under {@code poolKey}. */
	Set<String> nodes(String poolKey);

	/** Number of blocks held by any node under {@code poolKey}. */
	long inUse(String poolKey);

	/**
	 * The outcome of a claim.
	 *
	 * @param blocks every block the node holds, oldest first
	 * @param cursor where the pool's next search should start
	 */
	record Claim(List<String> blocks, long cursor) {

	}

}
