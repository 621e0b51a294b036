package io.jcilium.ipam.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.jcilium.common.net.Cidr;

/**
 * The rules of handing pool blocks to nodes, over a {@link BlockStore}: a node keeps what
 * it holds (asking again is answered from its existing blocks), new blocks are searched
 * from the pool's cursor onward so a freed block is reused last, and uniqueness comes
 * from the store's atomic claim, never from a read followed by a write.
 */
public final class BlockAllocator {

	/** Candidates sent per claim: one round trip usually suffices even in a busy pool. */
	static final int CANDIDATES_PER_CLAIM = 32;

	/** A Kubernetes node name is a DNS subdomain (RFC 1123). */
	private static final Pattern NODE_NAME = Pattern
		.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private final BlockStore store;

	private final Map<String, Long> cursorHints = new ConcurrentHashMap<>();

	public BlockAllocator(BlockStore store) {
		this.store = store;
	}

	/**
	 * Makes sure {@code node} holds at least {@code wanted} blocks of {@code space};
	 * idempotent.
	 * @return every block the node holds in the space, oldest first
	 * @throws PoolExhaustedException when the pool cannot supply the missing blocks
	 */
	public List<String> ensure(BlockSpace space, String node, int wanted) {
		return ensure(space, node, wanted, null);
	}

	/**
	 * {@link #ensure(BlockSpace, String, int)} for a pool whose definition is stored:
	 * every claim checks, atomically with taking a block, that the stored definition is
	 * still {@code guard}'s.
	 * @throws PoolChangedException when it is not (the pool went or was redefined)
	 */
	public List<String> ensure(BlockSpace space, String node, int wanted, BlockStore.PoolGuard guard) {
		requireNodeName(node);
		if (wanted < 1) {
			throw new IllegalArgumentException("block count must be at least 1, was " + wanted);
		}
		if (space.isEmpty()) {
			throw new IllegalArgumentException(
					"IP pool '" + space.pool() + "' has no " + space.family().displayName() + " CIDRs");
		}
		String key = key(space);
		long total = space.total();
		// One round trip per allocation: the claim also answers for a node that already
		// holds enough, and the cursor is remembered from the last claim (read from the
		// store once per pool). A stale hint only costs skipping taken candidates.
		long start = this.cursorHints.computeIfAbsent(key, this.store::cursor) % total;
		for (long scanned = 0; scanned < total; scanned += CANDIDATES_PER_CLAIM) {
			long first = (start + scanned) % total;
			int count = (int) Math.min(CANDIDATES_PER_CLAIM, total - scanned);
			List<String> candidates = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				candidates.add(space.blockAt((first + i) % total));
			}
			BlockStore.Claim claim = this.store.claim(key, node, wanted, candidates, first, total, guard);
			if (claim.poolChanged()) {
				throw new PoolChangedException(space.pool());
			}
			this.cursorHints.put(key, claim.cursor());
			if (claim.blocks().size() >= wanted) {
				return claim.blocks();
			}
		}
		throw new PoolExhaustedException(space);
	}

	/**
	 * Records that {@code node} holds {@code block}, as something outside IPAM (the
	 * node's CiliumNode) says it does: after IPAM lost its data, so that the block is not
	 * handed to another node. Leaves the allocation cursor where it is.
	 * @return the node's blocks of the space afterwards, {@code block} among them
	 * @throws BlockHeldException when another node holds the block, or the node holds
	 * another block of the space (nothing is changed then)
	 */
	public List<String> claimBlock(BlockSpace space, String node, String block) {
		requireNodeName(node);
		String key = key(space);
		long total = space.total();
		long before = Math.floorMod(this.store.cursor(key) - 1, total);
		BlockStore.Claim claim = this.store.claim(key, node, 1, List.of(block), before, total);
		if (!claim.blocks().contains(block)) {
			throw new BlockHeldException(space, node, block, claim.blocks());
		}
		return claim.blocks();
	}

	public List<String> blocksOf(BlockSpace space, String node) {
		requireNodeName(node);
		return this.store.blocksOf(key(space), node);
	}

	/** Frees {@code block} if {@code node} holds it; a repeated release is harmless. */
	public boolean release(BlockSpace space, String node, String block) {
		requireNodeName(node);
		String canonical = Cidr.parseStrict(block).toString();
		return this.store.release(key(space), node, canonical);
	}

	public List<String> releaseAll(BlockSpace space, String node) {
		requireNodeName(node);
		return this.store.releaseAll(key(space), node);
	}

	/** Nodes holding at least one block of the space. */
	public Set<String> nodes(BlockSpace space) {
		return this.store.nodes(key(space));
	}

	/**
	 * The prefix length of the blocks held in the space's store key, if any is held: the
	 * store, not this process, remembers what size a pool's blocks were carved in.
	 */
	public OptionalInt heldMaskSize(BlockSpace space) {
		String key = key(space);
		for (String node : this.store.nodes(key)) {
			List<String> blocks = this.store.blocksOf(key, node);
			if (!blocks.isEmpty()) {
				return OptionalInt.of(Cidr.parseStrict(blocks.get(0)).prefixLength());
			}
		}
		return OptionalInt.empty();
	}

	public long inUse(BlockSpace space) {
		return this.store.inUse(key(space));
	}

	/** The store key of a pool family, e.g. {@code default:ipv4}. */
	static String key(BlockSpace space) {
		return key(space.pool(), space.family());
	}

	/** The store key of a pool family, e.g. {@code default:ipv4}. */
	public static String key(String pool, Family family) {
		return pool + ":" + family.code();
	}

	/** Rejects names that cannot be Kubernetes node names, before they reach storage. */
	public static void requireNodeName(String node) {
		if (node == null || node.isEmpty()) {
			throw new IllegalArgumentException("node name is missing");
		}
		if (node.length() > 253 || !NODE_NAME.matcher(node).matches()) {
			throw new IllegalArgumentException("node name '" + node
					+ "' is not a valid Kubernetes node name (lower-case DNS subdomain, at most 253 characters)");
		}
	}

}
