package io.jcilium.agent.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.jcilium.agent.ipam.PodIpAllocation;
import io.jcilium.agent.ipam.PodIpAllocationsFile;
import io.jcilium.agent.ipam.PodIpAllocator;
import io.jcilium.agent.ipam.PodIpOwner;
import io.jcilium.agent.ipam.PodIpSpace;
import io.jcilium.agent.ipam.PodPoolSelector;
import io.jcilium.agent.ipam.PodPoolSource;
import io.jcilium.agent.ipam.NoPoolCapacityException;
import io.jcilium.agent.ipam.RestoreResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's pod IP allocator (one node CIDR, or multi-pool blocks), written to the state
 * directory after every change so a restarted agent neither hands out an address still in
 * use nor leaks one.
 * <p>
 * A change returns only once a write holding it is on disk, but the allocator's lock is
 * held only for the change in memory: the write (two fsyncs, milliseconds to tens of
 * milliseconds on a busy disk) happens outside it, and concurrent changes share one write
 * (group commit), so a burst of pods does not queue behind one fsync each.
 */
public final class PersistentPodIps {

	private static final Logger logger = LoggerFactory.getLogger(PersistentPodIps.class);

	private final Supplier<PodIpSpace> space;

	private final Path file;

	private final Duration poolWait;

	private final PodPoolSource pools;

	private PodIpSpace allocator;

	/** Changes made in memory so far; guarded by this object's monitor. */
	private long changes;

	/** Serializes the writes of the file. */
	private final Object writeLock = new Object();

	/** The last change a completed write holds; guarded by {@link #writeLock}. */
	private long persisted;

	/**
	 * Allocates from {@code podCidr}, starting from the persisted allocations of
	 * {@code file} (none if it does not exist yet).
	 */
	public PersistentPodIps(String podCidr, Path file) {
		this(() -> podCidr, file);
		allocator();
	}

	/**
	 * Allocates from the CIDR {@code podCidr} gives when the first address is needed (so
	 * the node's CIDR can come from its CiliumNode), starting from the persisted
	 * allocations of {@code file}.
	 */
	public PersistentPodIps(Supplier<String> podCidr, Path file) {
		this(() -> new PodIpAllocator(podCidr.get()), file, Duration.ZERO, PodPoolSource.DEFAULT);
	}

	private PersistentPodIps(Supplier<PodIpSpace> space, Path file, Duration poolWait, PodPoolSource pools) {
		this.space = space;
		this.file = file;
		this.poolWait = poolWait;
		this.pools = pools;
	}

	/**
	 * Allocates from the space {@code space} gives when the first address is needed
	 * (multi-pool: once this node's CiliumNode is known), starting from the persisted
	 * allocations of {@code file}.
	 * @param poolWait how long an allocation waits for a pool block to arrive
	 * @param pools which pool a pod's address comes from
	 */
	public static PersistentPodIps of(Supplier<PodIpSpace> space, Path file, Duration poolWait, PodPoolSource pools) {
		return new PersistentPodIps(space, file, poolWait, pools);
	}

	private synchronized PodIpSpace allocator() {
		if (this.allocator == null) {
			PodIpSpace created = this.space.get();
			String cidr = created.describe();
			try {
				PodIpAllocationsFile.Content content = PodIpAllocationsFile.read(this.file);
				if (!content.problems().isEmpty()) {
					keepDamagedCopy(content);
				}
				RestoreResult result = created.restore(content.allocations());
				result.rejected().forEach((entry) -> logger.warn("pod IP allocation not restored: {}", entry));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read pod IP allocations from " + this.file, ex);
			}
			logger.info("pod addresses from {}", cidr);
			this.allocator = created;
		}
		return this.allocator;
	}

	/** Where the addresses come from: the node CIDR, or the pool blocks. */
	public String podCidr() {
		return allocator().describe();
	}

	/**
	 * Allocates (or returns the address already held by) interface {@code ifName} of
	 * {@code containerId}.
	 */
	public InetAddress allocate(String containerId, String ifName, InetAddress requested) {
		return allocate(containerId, ifName, requested, PodPoolSelector.DEFAULT_POOL);
	}

	/**
	 * Allocates (or returns the address already held by) interface {@code ifName} of
	 * {@code containerId}, pod {@code podNamespace/podName}, from the pool its
	 * annotations name (multi-pool; a node CIDR has one pool).
	 */
	public InetAddress allocate(String containerId, String ifName, InetAddress requested, String podNamespace,
			String podName) {
		return allocate(containerId, ifName, requested, this.pools.poolOf(podNamespace, podName));
	}

	/**
	 * When the pool has no room on this node, waits (outside the lock) for a block up to
	 * the pool wait, then fails with the reason.
	 */
	private InetAddress allocate(String containerId, String ifName, InetAddress requested, String pool) {
		PodIpOwner owner = new PodIpOwner(containerId, ifName);
		PodIpAllocation allocation;
		long change;
		try {
			synchronized (this) {
				allocation = allocator().allocate(owner, requested, pool);
				change = ++this.changes;
			}
		}
		catch (NoPoolCapacityException ex) {
			// The allocator takes the address as soon as a block arrives, the pod counted
			// as waiting until then; the change is counted after it, so the write below
			// includes it.
			allocation = allocator().allocate(owner, requested, pool, this.poolWait);
			synchronized (this) {
				change = ++this.changes;
			}
		}
		persistUpTo(change);
		return allocation.ip();
	}

	/**
	 * Frees whatever interface {@code ifName} of {@code containerId} holds; the
	 * container's other interfaces keep theirs.
	 */
	public Optional<InetAddress> release(String containerId, String ifName) {
		Optional<InetAddress> released;
		long change;
		synchronized (this) {
			released = allocator().release(new PodIpOwner(containerId, ifName));
			change = ++this.changes;
		}
		if (released.isPresent()) {
			persistUpTo(change);
		}
		return released;
	}

	/** Every address held, with its container. */
	public synchronized List<PodIpAllocation> allocations() {
		return allocator().allocations();
	}

	/** Who holds {@code ip}, if anyone. */
	public synchronized Optional<PodIpOwner> ownerOf(InetAddress ip) {
		return allocator().ownerOf(ip);
	}

	/**
	 * Lines that could not be read are dropped from the next write: keep the file as it
	 * was beside it, for whoever investigates.
	 */
	private void keepDamagedCopy(PodIpAllocationsFile.Content content) throws IOException {
		Path copy = this.file.resolveSibling(this.file.getFileName() + ".damaged-" + System.currentTimeMillis());
		Files.copy(this.file, copy, StandardCopyOption.REPLACE_EXISTING);
		content.problems()
			.forEach((problem) -> logger.error("pod IP allocation skipped (file kept as {}): {}", copy, problem));
	}

	/**
	 * Returns once the file holds change {@code change}: at once if a write that started
	 * after it already finished, else by writing every change made so far. The file is
	 * always a whole state the allocator was in, never older than one written before.
	 */
	private void persistUpTo(long change) {
		synchronized (this.writeLock) {
			if (this.persisted >= change) {
				return;
			}
			List<PodIpAllocation> snapshot;
			long snapshotChange;
			synchronized (this) {
				snapshot = allocator().allocations();
				snapshotChange = this.changes;
			}
			try {
				PodIpAllocationsFile.write(this.file, snapshot);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot persist pod IP allocations to " + this.file, ex);
			}
			this.persisted = snapshotChange;
		}
	}

}
