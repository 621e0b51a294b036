package io.jcilium.ipam.block;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What block allocation needs from storage. Each operation is atomic on its own; the
 * Redis store runs each as one Lua script, so many ipam-service replicas can share it.
 * <p>
 * A pool key names one family of one pool (e.g. {@code cluster-pool:ipv4}); a block is
 * its CIDR text; an owner is a node name.
 * <p>
 * The store also keeps the definitions of pools created through the API (multi-pool's
 * {@code CiliumPodIPPool}s), so every replica and a restarted one see the same pools, and
 * so that a pool's deletion and a claim of one of its blocks exclude each other: a claim
 * may carry a {@link PoolGuard}, checked in the same atomic step that takes the block.
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
	default Claim claim(String poolKey, String node, int wanted, List<String> candidates, long firstIndex, long total) {
		return claim(poolKey, node, wanted, candidates, firstIndex, total, null);
	}

	/**
	 * {@link #claim(String, String, int, List, long, long)} that claims nothing, and
	 * answers {@link Claim#poolChanged()}, unless the stored definition of the guarded
	 * pool is still the guard's.
	 * @param guard the pool definition the candidates were carved from, or {@code null}
	 * for pools that are not stored (configured ones)
	 */
	Claim claim(String poolKey, String node, int wanted, List<String> candidates, long firstIndex, long total,
			PoolGuard guard);

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

	/** Every stored pool definition, and the version they have together. */
	PoolDefinitions poolDefinitions();

	/**
	 * Stores a pool's definition if no definition changed since {@code expectedVersion}
	 * and no block of another size is held in a family of the pool.
	 * @param poolKeys the pool's store keys, IPv4 then IPv6
	 * @param maskSizes the new block sizes, IPv4 then IPv6 (0: the family has no CIDRs)
	 */
	PutOutcome putPoolDefinition(String pool, String definition, long expectedVersion, List<String> poolKeys,
			List<Integer> maskSizes);

	/**
	 * Deletes a pool's definition, and its cursors, unless blocks of it are held.
	 * @param poolKeys the pool's store keys, IPv4 then IPv6
	 * @return -1 when no such definition is stored, 0 when deleted, else the number of
	 * blocks held
	 */
	long removePoolDefinition(String pool, List<String> poolKeys);

	/**
	 * The outcome of a claim.
	 *
	 * @param blocks every block the node holds, oldest first
	 * @param cursor where the pool's next search should start
	 * @param poolChanged whether the claim was refused because the guarded pool's
	 * definition changed or went (nothing was claimed then)
	 */
	record Claim(List<String> blocks, long cursor, boolean poolChanged) {

		public Claim(List<String> blocks, long cursor) {
			this(blocks, cursor, false);
		}

		static Claim refused() {
			return new Claim(List.of(), 0, true);
		}

	}

	/**
	 * A claim's precondition: the pool's stored definition is {@code definition}.
	 *
	 * @param pool the pool's name
	 * @param definition its definition as the claimant read it
	 */
	record PoolGuard(String pool, String definition) {

	}

	/**
	 * Stored pool definitions.
	 *
	 * @param version changes with every stored change
	 * @param definitions definition by pool name
	 */
	record PoolDefinitions(long version, Map<String, String> definitions) {

	}

	/** How storing a pool definition ended. */
	enum PutOutcome {

		/** Stored. */
		STORED,
		/** Another definition changed since the caller read them: validate again. */
		CONCURRENT_CHANGE,
		/** A family holds blocks of another size. */
		MASK_SIZE_IN_USE

	}

}
