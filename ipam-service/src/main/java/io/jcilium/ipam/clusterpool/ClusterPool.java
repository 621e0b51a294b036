package io.jcilium.ipam.clusterpool;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.jcilium.common.net.Cidr;
import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.BlockSpace;
import io.jcilium.ipam.block.Pool;
import io.jcilium.ipam.block.PoolUsage;

/**
 * Node pod CIDRs from the cluster pool: one block per configured family per node,
 * allocated on first request and returned unchanged afterwards (also after a restart: the
 * store is the only state), freed when the node is released.
 */
public final class ClusterPool {

	/**
	 * The pool's name in messages, keys and listings; not usable for a multi-pool pool.
	 */
	public static final String NAME = "cluster-pool";

	private final Pool pool;

	private final BlockAllocator allocator;

	public ClusterPool(ClusterPoolProperties properties, BlockAllocator allocator) {
		this.pool = Pool.of(NAME, properties.ipv4Cidrs(), properties.ipv4MaskSize(), properties.ipv6Cidrs(),
				properties.ipv6MaskSize());
		this.allocator = allocator;
	}

	public Pool pool() {
		return this.pool;
	}

	/**
	 * The node's pod CIDRs, IPv4 first, allocating those it does not have yet.
	 * @throws io.jcilium.ipam.block.PoolExhaustedException when a family has no free
	 * block
	 */
	public List<String> allocate(String node) {
		List<String> cidrs = new ArrayList<>(2);
		for (BlockSpace space : this.pool.spaces()) {
			cidrs.add(this.allocator.ensure(space, node, 1).get(0));
		}
		return cidrs;
	}

	/**
	 * Records pod CIDRs the node already has (from its CiliumNode, the source of truth
	 * after IPAM lost its data), so no other node gets them.
	 * @return the node's pod CIDRs afterwards, IPv4 first
	 * @throws IllegalArgumentException when a CIDR is no block of the pool
	 * @throws io.jcilium.ipam.block.BlockHeldException when another node holds one
	 */
	public List<String> claim(String node, List<String> podCidrs) {
		List<Cidr> wanted = new ArrayList<>(podCidrs.size());
		for (String text : podCidrs) {
			Cidr cidr = Cidr.parseStrict(text);
			if (this.pool.spaces().stream().noneMatch((space) -> holds(space, cidr))) {
				throw new IllegalArgumentException(
						"pod CIDR " + text + " of node " + node + " is no block of the cluster pool ("
								+ this.pool.spaces().stream().map(BlockSpace::describe).toList()
								+ "): the CiliumNode and ipam-service's cluster-pool settings disagree");
			}
			wanted.add(cidr);
		}
		for (BlockSpace space : this.pool.spaces()) {
			for (Cidr cidr : wanted) {
				if (holds(space, cidr)) {
					this.allocator.claimBlock(space, node, cidr.toString());
				}
			}
		}
		return podCidrs(node);
	}

	private static boolean holds(BlockSpace space, Cidr cidr) {
		return cidr.prefixLength() == space.maskSize()
				&& space.cidrs().stream().anyMatch((text) -> Cidr.parse(text).contains(cidr));
	}

	/** The node's pod CIDRs, IPv4 first; empty when it has none. */
	public List<String> podCidrs(String node) {
		List<String> cidrs = new ArrayList<>(2);
		for (BlockSpace space : this.pool.spaces()) {
			cidrs.addAll(this.allocator.blocksOf(space, node));
		}
		return cidrs;
	}

	/** Frees the node's pod CIDRs (the node was deleted); returns what was freed. */
	public List<String> release(String node) {
		List<String> released = new ArrayList<>(2);
		for (BlockSpace space : this.pool.spaces()) {
			released.addAll(this.allocator.releaseAll(space, node));
		}
		return released;
	}

	/** Nodes holding a pod CIDR. */
	public Set<String> nodes() {
		Set<String> nodes = new HashSet<>();
		this.pool.spaces().forEach((space) -> nodes.addAll(this.allocator.nodes(space)));
		return nodes;
	}

	public PoolUsage usage() {
		return PoolUsage.of(this.pool, this.allocator);
	}

}
