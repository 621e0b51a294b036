package io.jcilium.agent.ipam;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where a node's pod addresses come from: one node pod CIDR (cluster-pool,
 * {@link PodIpAllocator}) or the blocks of named pools (multi-pool, {@link PoolBlocks}).
 * The persisted form ({@link PodIpAllocationsFile}) is the same for both: an address and
 * its owner, since the block holding an address says its pool.
 */
public interface PodIpSpace {

	/**
	 * Allocates (or returns the address already held by) {@code owner}.
	 * @param owner the container interface
	 * @param requested a specific address, or {@code null}
	 * @param pool the pool the pod's annotations name ({@link PodPoolSelector}); ignored
	 * by a single node CIDR
	 * @return the allocation
	 * @throws PodIpExhaustedException when no address is free
	 */
	PodIpAllocation allocate(PodIpOwner owner, InetAddress requested, String pool);

	/**
	 * Allocates as {@link #allocate(PodIpOwner, InetAddress, String)}, but when the pool
	 * has no free address waits up to {@code wait} for one (multi-pool: a block may be on
	 * its way), the pod counted as waiting until it holds its address.
	 * @throws PodIpExhaustedException when there is still none; a single node CIDR never
	 * grows, so it does not wait
	 */
	default PodIpAllocation allocate(PodIpOwner owner, InetAddress requested, String pool, Duration wait) {
		return allocate(owner, requested, pool);
	}

	/** Releases whatever address {@code owner} holds. */
	Optional<InetAddress> release(PodIpOwner owner);

	/** Replaces all state with the persisted allocations. */
	RestoreResult restore(Collection<PodIpAllocation> persisted);

	/** Every allocation, ordered by address. */
	List<PodIpAllocation> allocations();

	/** Who holds {@code ip}, if anyone. */
	Optional<PodIpOwner> ownerOf(InetAddress ip);

	/**
	 * What the addresses come from, for logs and the API: a CIDR or the pools' blocks.
	 */
	String describe();

}
