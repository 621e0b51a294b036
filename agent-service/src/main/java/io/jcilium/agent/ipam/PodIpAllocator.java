package io.jcilium.agent.ipam;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Hands out pod IPs from one node pod CIDR (IPv4 or IPv6), one address per container
 * interface ({@link PodIpOwner}).
 * <p>
 * The contract is shaped by upstream bug classes: an address is freed only by the
 * container interface that owns it (a late or repeated CNI DEL must not free an address
 * already reassigned to a new pod); a restore replaces all state with exactly the
 * persisted allocations; the network address, the gateway (the first host, which the
 * node's side of the pod routes uses) and the last address (IPv4 broadcast; kept free for
 * IPv6 too so both families behave the same) are never handed out. Released addresses are
 * reused last (the search continues after the previous allocation), so traffic still in
 * flight to a deleted pod does not reach its successor right away.
 * <p>
 * Thread-safe: every operation holds the allocator's lock, which is cheap next to the
 * work of creating a pod.
 */
public final class PodIpAllocator implements PodIpSpace {

	/** Offset 0 is the network address; offset 1 the gateway. */
	private static final long FIRST_USABLE_OFFSET = 2;

	private final PodCidr cidr;

	private final long lastUsableOffset;

	private final Map<Long, PodIpOwner> ownerByOffset = new HashMap<>();

	private final Map<PodIpOwner, Long> offsetByOwner = new HashMap<>();

	private long cursor = FIRST_USABLE_OFFSET;

	/**
	 * @param nodeCidr the node's pod CIDR, e.g. {@code 10.0.1.0/24} or
	 * {@code fd00:0:0:1::/112}; must leave at least one address besides network, gateway
	 * and broadcast
	 */
	public PodIpAllocator(String nodeCidr) {
		this.cidr = PodCidr.parse(nodeCidr);
		if (this.cidr.hostBits() < 2) {
			throw new IllegalArgumentException("node CIDR " + this.cidr
					+ " is too small for pods: it needs room for network, gateway, broadcast and at least one pod"
					+ " (use /30 or shorter for IPv4, /126 or shorter for IPv6)");
		}
		this.lastUsableOffset = this.cidr.size() - 2;
	}

	/** The node CIDR this allocator serves, in canonical form. */
	public String cidr() {
		return this.cidr.toString();
	}

	@Override
	public String describe() {
		return cidr();
	}

	/** The pool is the node CIDR's: a single node CIDR has no other. */
	@Override
	public PodIpAllocation allocate(PodIpOwner owner, InetAddress requested, String pool) {
		return (requested != null) ? allocate(requested, owner) : allocate(owner);
	}

	/** The gateway address: the first host of the CIDR, never given to a pod. */
	public InetAddress gateway() {
		return this.cidr.addressAt(1);
	}

	/**
	 * Allocates an address for {@code owner}. Idempotent: a retried CNI ADD for the same
	 * container interface gets the address it already holds.
	 * @throws PodIpExhaustedException when every usable address is taken
	 */
	public synchronized PodIpAllocation allocate(PodIpOwner owner) {
		Objects.requireNonNull(owner, "owner");
		Long held = this.offsetByOwner.get(owner);
		if (held != null) {
			return allocation(held, owner);
		}
		long usable = this.lastUsableOffset - FIRST_USABLE_OFFSET + 1;
		if (this.ownerByOffset.size() >= usable) {
			throw new PodIpExhaustedException(
					"node pod CIDR " + this.cidr + " is exhausted: all " + usable + " pod addresses are in use");
		}
		long offset = this.cursor;
		while (this.ownerByOffset.containsKey(offset)) {
			offset = (offset >= this.lastUsableOffset) ? FIRST_USABLE_OFFSET : offset + 1;
		}
		claim(offset, owner);
		this.cursor = (offset >= this.lastUsableOffset) ? FIRST_USABLE_OFFSET : offset + 1;
		return allocation(offset, owner);
	}

	/**
	 * Allocates a specific address (a CNI {@code IP=} request). Idempotent for the same
	 * container and address.
	 * @throws IllegalArgumentException if the address is outside the CIDR or reserved
	 * @throws PodIpConflictException if another container interface owns it, or this one
	 * already owns another address
	 */
	public synchronized PodIpAllocation allocate(InetAddress ip, PodIpOwner owner) {
		Objects.requireNonNull(owner, "owner");
		long offset = usableOffset(ip);
		PodIpOwner current = this.ownerByOffset.get(offset);
		Long held = this.offsetByOwner.get(owner);
		if (current != null && !current.equals(owner)) {
			throw new PodIpConflictException(
					PodCidr.format(ip) + " is already in use by container " + current + " on this node");
		}
		if (held != null && held != offset) {
			throw new PodIpConflictException(
					"container " + owner + " already holds " + PodCidr.format(this.cidr.addressAt(held))
							+ "; release it before requesting " + PodCidr.format(ip));
		}
		claim(offset, owner);
		return allocation(offset, owner);
	}

	/**
	 * Releases {@code ip} only if {@code owner} owns it. A stale or repeated DEL (the
	 * address was freed and handed to another pod meanwhile) changes nothing.
	 * @return whether the address was freed
	 */
	public synchronized boolean release(InetAddress ip, PodIpOwner owner) {
		long offset = this.cidr.offsetOf(ip);
		if (offset < 0 || owner == null || !owner.equals(this.ownerByOffset.get(offset))) {
			return false;
		}
		unclaim(offset, owner);
		return true;
	}

	/**
	 * Releases whatever address {@code owner} holds (a CNI DEL without a previous
	 * result). Another interface of the same container keeps its address. Returns the
	 * freed address, or empty when it holds none.
	 */
	@Override
	public synchronized Optional<InetAddress> release(PodIpOwner owner) {
		Long offset = (owner != null) ? this.offsetByOwner.get(owner) : null;
		if (offset == null) {
			return Optional.empty();
		}
		unclaim(offset, owner);
		return Optional.of(this.cidr.addressAt(offset));
	}

	/**
	 * Replaces all state with the persisted allocations, so after a restart exactly the
	 * addresses in use are taken. Entries that cannot be honoured (outside the CIDR,
	 * reserved, an address or a container interface listed twice) are reported, never
	 * guessed at: the first claim of an address wins.
	 */
	@Override
	public synchronized RestoreResult restore(Collection<PodIpAllocation> persisted) {
		this.ownerByOffset.clear();
		this.offsetByOwner.clear();
		List<PodIpAllocation> restored = new ArrayList<>();
		List<String> rejected = new ArrayList<>();
		long highest = FIRST_USABLE_OFFSET - 1;
		for (PodIpAllocation entry : persisted) {
			String problem = restoreProblem(entry);
			if (problem != null) {
				rejected.add(entry + ": " + problem);
				continue;
			}
			long offset = this.cidr.offsetOf(entry.ip());
			claim(offset, entry.owner());
			restored.add(entry);
			highest = Math.max(highest, offset);
		}
		this.cursor = (highest >= this.lastUsableOffset) ? FIRST_USABLE_OFFSET : highest + 1;
		return new RestoreResult(restored, rejected);
	}

	/**
	 * Adds one persisted allocation to those in force (a multi-pool block arriving after
	 * the restart).
	 * @return empty when taken, else why not
	 */
	synchronized Optional<String> restoreOne(PodIpAllocation entry) {
		String problem = restoreProblem(entry);
		if (problem == null) {
			claim(this.cidr.offsetOf(entry.ip()), entry.owner());
		}
		return Optional.ofNullable(problem);
	}

	/** Offset of {@code ip} in the CIDR, or -1 when outside. */
	long offsetOf(InetAddress ip) {
		return this.cidr.offsetOf(ip);
	}

	/** A snapshot of the allocations, ordered by address; what the agent persists. */
	@Override
	public synchronized List<PodIpAllocation> allocations() {
		return this.ownerByOffset.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.map((entry) -> allocation(entry.getKey(), entry.getValue()))
			.toList();
	}

	/** Who owns {@code ip}, if anyone. */
	@Override
	public synchronized Optional<PodIpOwner> ownerOf(InetAddress ip) {
		long offset = this.cidr.offsetOf(ip);
		return (offset < 0) ? Optional.empty() : Optional.ofNullable(this.ownerByOffset.get(offset));
	}

	/** Addresses still free for pods. */
	public synchronized long available() {
		return this.lastUsableOffset - FIRST_USABLE_OFFSET + 1 - this.ownerByOffset.size();
	}

	private String restoreProblem(PodIpAllocation entry) {
		long offset = this.cidr.offsetOf(entry.ip());
		if (offset < 0) {
			return "outside node CIDR " + this.cidr;
		}
		if (offset < FIRST_USABLE_OFFSET || offset > this.lastUsableOffset) {
			return "reserved address (network, gateway or broadcast) of " + this.cidr;
		}
		PodIpOwner owner = this.ownerByOffset.get(offset);
		if (owner != null) {
			return "address already restored for container " + owner;
		}
		if (this.offsetByOwner.containsKey(entry.owner())) {
			return "container already restored with "
					+ PodCidr.format(this.cidr.addressAt(this.offsetByOwner.get(entry.owner())));
		}
		return null;
	}

	private long usableOffset(InetAddress ip) {
		long offset = this.cidr.offsetOf(ip);
		if (offset < 0) {
			throw new IllegalArgumentException(PodCidr.format(ip) + " is outside node pod CIDR " + this.cidr);
		}
		if (offset < FIRST_USABLE_OFFSET || offset > this.lastUsableOffset) {
			throw new IllegalArgumentException(
					PodCidr.format(ip) + " is reserved (network, gateway or broadcast address of " + this.cidr + ")");
		}
		return offset;
	}

	private void claim(long offset, PodIpOwner owner) {
		this.ownerByOffset.put(offset, owner);
		this.offsetByOwner.put(owner, offset);
	}

	private void unclaim(long offset, PodIpOwner owner) {
		this.ownerByOffset.remove(offset);
		this.offsetByOwner.remove(owner);
	}

	private PodIpAllocation allocation(long offset, PodIpOwner owner) {
		return new PodIpAllocation(this.cidr.addressAt(offset), owner);
	}

}
