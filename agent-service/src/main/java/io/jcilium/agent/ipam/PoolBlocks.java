package io.jcilium.agent.ipam;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.jcilium.common.net.Cidr;

/**
 * Multi-pool IPAM on the node, as upstream's agent does it: the blocks the operator
 * allocated to this node ({@code spec.ipam.pools.allocated} of its CiliumNode) hand out
 * the addresses of the pool each pod's annotation names; the agent asks for what it needs
 * ({@link PoolDemand}, written to {@code spec.ipam.pools.requested}) and gives back
 * blocks it no longer uses by leaving them out of {@code allocated}.
 * <p>
 * An address is persisted without its pool: the block holding it says which. Addresses
 * restored before their block is known stay held ({@link #allocations()} keeps them, so
 * the next write does not drop them) and move into their block when it arrives. A block
 * given back is never used again until the CiliumNode no longer lists it, so an
 * allocation from it can never race its release in ipam-service.
 */
public final class PoolBlocks implements PodIpSpace {

	private final Map<String, PoolBlock> blocks = new LinkedHashMap<>();

	private final List<PodIpAllocation> unplaced = new ArrayList<>();

	private final Set<String> returned = new HashSet<>();

	/**
	 * Blocks the CiliumNode no longer lists whose pods keep their addresses: no new ones.
	 */
	private final Set<String> unlisted = new HashSet<>();

	private final PoolDemand demand;

	private final Runnable onDemandChange;

	/**
	 * @param preAllocate pool name to addresses kept free on the node
	 * @param onDemandChange called when what the node needs may have changed (it must not
	 * block: it triggers the job that writes the CiliumNode)
	 */
	public PoolBlocks(Map<String, Integer> preAllocate, Runnable onDemandChange) {
		this.demand = new PoolDemand(preAllocate);
		this.onDemandChange = onDemandChange;
	}

	/**
	 * Takes the blocks the CiliumNode lists. A block no longer listed that still holds
	 * addresses is kept (the pods keep working) and reported; an empty one goes.
	 * @param allocated pool name to its CIDRs on this node
	 * @return problems to report, one line each
	 */
	public List<String> update(Map<String, List<String>> allocated) {
		List<String> problems = new ArrayList<>();
		synchronized (this) {
			Set<String> listed = new HashSet<>();
			allocated.forEach((pool, cidrs) -> cidrs.forEach((text) -> {
				try {
					String cidr = Cidr.parseStrict(text).toString();
					listed.add(cidr);
					if (!this.returned.contains(cidr) && !this.blocks.containsKey(cidr)) {
						this.blocks.put(cidr, new PoolBlock(pool, new PodIpAllocator(cidr)));
					}
				}
				catch (IllegalArgumentException ex) {
					problems.add("block '" + text + "' of pool " + pool + " is not usable: " + ex.getMessage());
				}
			}));
			this.returned.retainAll(listed);
			this.unlisted.clear();
			this.blocks.values().removeIf((block) -> {
				if (listed.contains(block.cidr())) {
					return false;
				}
				if (!block.empty()) {
					this.unlisted.add(block.cidr());
					problems.add("block " + block.cidr() + " of pool " + block.pool()
							+ " is no longer allocated to this node: its pods keep their addresses, new pods get none");
				}
				return block.empty();
			});
			problems.addAll(place());
			notifyAll();
		}
		this.onDemandChange.run();
		return problems;
	}

	@Override
	public synchronized PodIpAllocation allocate(PodIpOwner owner, InetAddress requested, String pool) {
		Optional<PodIpAllocation> held = allocations().stream().filter((a) -> a.owner().equals(owner)).findFirst();
		if (held.isPresent()) {
			return held.get();
		}
		for (PoolBlock block : this.blocks.values()) {
			if (requested != null && block.contains(requested) && !this.unlisted.contains(block.cidr())) {
				return block.addresses().allocate(requested, owner);
			}
			if (requested == null && block.pool().equals(pool) && block.addresses().available() > 0
					&& !this.unlisted.contains(block.cidr())) {
				PodIpAllocation allocation = block.addresses().allocate(owner);
				this.onDemandChange.run();
				return allocation;
			}
		}
		String what = (requested != null) ? PodCidr.format(requested) + " is in no free block of this node"
				: "pool '" + pool + "' has no free address on this node (" + blockCount(pool) + " blocks)";
		throw new NoPoolCapacityException(
				what + ": waiting for the operator to allocate a block (spec.ipam.pools of this node's CiliumNode)");
	}

	/**
	 * Allocates, waiting for a block of {@code pool} when it has no free address, and
	 * asking for it meanwhile. The pod counts as waiting until it holds its address, so a
	 * block that arrives for it is never given back as unused before it takes its address
	 * ({@link #returnUnused()} runs on the node's own thread whenever the demand
	 * changes).
	 */
	@Override
	public PodIpAllocation allocate(PodIpOwner owner, InetAddress requested, String pool, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		synchronized (this) {
			try {
				return allocate(owner, requested, pool);
			}
			catch (NoPoolCapacityException ex) {
				this.demand.waiting(pool, 1);
			}
		}
		try {
			this.onDemandChange.run();
			synchronized (this) {
				while (true) {
					try {
						return allocate(owner, requested, pool);
					}
					catch (NoPoolCapacityException ex) {
						long left = deadline - System.nanoTime();
						if (left <= 0) {
							throw ex;
						}
						try {
							wait(Math.max(1, left / 1_000_000));
						}
						catch (InterruptedException interrupted) {
							Thread.currentThread().interrupt();
							throw ex;
						}
					}
				}
			}
		}
		finally {
			synchronized (this) {
				this.demand.waiting(pool, -1);
			}
			this.onDemandChange.run();
		}
	}

	@Override
	public synchronized Optional<InetAddress> release(PodIpOwner owner) {
		for (PoolBlock block : this.blocks.values()) {
			Optional<InetAddress> released = block.addresses().release(owner);
			if (released.isPresent()) {
				if (this.unlisted.contains(block.cidr()) && block.empty()) {
					this.blocks.remove(block.cidr());
					this.unlisted.remove(block.cidr());
				}
				this.onDemandChange.run();
				return released;
			}
		}
		Optional<PodIpAllocation> restored = this.unplaced.stream().filter((a) -> a.owner().equals(owner)).findFirst();
		restored.ifPresent(this.unplaced::remove);
		return restored.map(PodIpAllocation::ip);
	}

	@Override
	public synchronized RestoreResult restore(Collection<PodIpAllocation> persisted) {
		this.blocks.values().forEach((block) -> block.addresses().restore(List.of()));
		this.unplaced.clear();
		List<String> rejected = new ArrayList<>();
		Set<InetAddress> ips = new HashSet<>();
		Set<PodIpOwner> owners = new HashSet<>();
		for (PodIpAllocation entry : persisted) {
			if (!ips.add(entry.ip()) || !owners.add(entry.owner())) {
				rejected.add(entry + ": address or container interface restored twice");
			}
			else {
				this.unplaced.add(entry);
			}
		}
		rejected.addAll(place());
		return new RestoreResult(allocations(), rejected);
	}

	@Override
	public synchronized List<PodIpAllocation> allocations() {
		List<PodIpAllocation> all = new ArrayList<>(this.unplaced);
		this.blocks.values().forEach((block) -> all.addAll(block.addresses().allocations()));
		all.sort(Comparator.comparing((PodIpAllocation a) -> a.ip().getAddress().length)
			.thenComparing((a) -> PodCidr.format(a.ip())));
		return all;
	}

	@Override
	public synchronized Optional<PodIpOwner> ownerOf(InetAddress ip) {
		return allocations().stream().filter((a) -> a.ip().equals(ip)).map(PodIpAllocation::owner).findFirst();
	}

	@Override
	public synchronized String describe() {
		Map<String, List<String>> byPool = new LinkedHashMap<>();
		this.blocks.values().forEach((b) -> byPool.computeIfAbsent(b.pool(), (p) -> new ArrayList<>()).add(b.cidr()));
		return "pool blocks " + byPool;
	}

	/** What the node needs per pool: {@code spec.ipam.pools.requested}. */
	public synchronized Map<String, Integer> requested() {
		return this.demand.requested(listed());
	}

	/**
	 * Gives back the empty blocks the node does not need, only while every pool has room
	 * for its waiting pods and pre-allocation (so the operator has nothing to add and no
	 * write of it can cross this one). They are used no more from now on.
	 * @return the CIDRs given back: leave them out of {@code spec.ipam.pools.allocated}
	 */
	public synchronized Set<String> returnUnused() {
		if (!this.unplaced.isEmpty() || !this.demand.satisfied(listed())) {
			return Set.copyOf(this.returned);
		}
		for (PoolBlock block : this.demand.unneeded(listed())) {
			this.blocks.remove(block.cidr());
			this.returned.add(block.cidr());
		}
		return Set.copyOf(this.returned);
	}

	/**
	 * Moves restored addresses into the blocks now known; one that its block refuses
	 * (reserved, or taken) is dropped with the reason.
	 */
	private List<String> place() {
		List<String> problems = new ArrayList<>();
		this.unplaced.removeIf((entry) -> {
			for (PoolBlock block : this.blocks.values()) {
				if (block.contains(entry.ip())) {
					block.addresses().restoreOne(entry).ifPresent((why) -> problems.add(entry + ": " + why));
					return true;
				}
			}
			return false;
		});
		return problems;
	}

	private long blockCount(String pool) {
		return listed().stream().filter((b) -> b.pool().equals(pool)).count();
	}

	/** The blocks the CiliumNode lists: the ones new pods get addresses from. */
	private List<PoolBlock> listed() {
		return this.blocks.values().stream().filter((b) -> !this.unlisted.contains(b.cidr())).toList();
	}

}
