package io.jcilium.identity.allocation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.jcilium.common.label.LabelFilter;
import io.jcilium.identity.allocation.IdentityStore.IdentityChange;
import io.jcilium.identity.allocation.IdentityStore.StoredIdentity;

/**
 * The rules of identity allocation: canonical labels, the reserved table, the range, the
 * per-node references and their lease, and the local cache that answers lookups when the
 * store is down. Plain Java over an {@link IdentityStore}.
 */
public final class IdentityAllocator {

	private static final int MAX_NODE_NAME_LENGTH = 253;

	private final IdentityStore store;

	private final SecurityLabels securityLabels;

	private final IdRange range;

	private final Duration leaseTtl;

	private final IdentityCache cache;

	private final AllocationMetrics metrics;

	private final StoreEpochs epochs;

	private long storeRevisionAtLastSync = -1;

	IdentityAllocator(IdentityStore store, LabelFilter labelFilter, IdRange range, Duration leaseTtl,
			IdentityCache cache, AllocationMetrics metrics) {
		this(store, labelFilter, LabelLimits.defaults(), range, leaseTtl, cache, metrics);
	}

	IdentityAllocator(IdentityStore store, LabelFilter labelFilter, LabelLimits labelLimits, IdRange range,
			Duration leaseTtl, IdentityCache cache, AllocationMetrics metrics) {
		this.store = store;
		this.securityLabels = new SecurityLabels(labelFilter, labelLimits);
		this.range = range;
		this.leaseTtl = leaseTtl;
		this.cache = cache;
		this.metrics = metrics;
		this.epochs = new StoreEpochs(store, cache);
	}

	/** Starts following the changes other replicas make. */
	void start() {
		this.store.addChangeListener(this.cache::apply);
	}

	public Allocation allocate(Collection<String> labels, String node) {
		return Futures.join(allocateAsync(labels, node));
	}

	/**
	 * {@link #allocate} without waiting for the store: invalid requests throw at once,
	 * store failures fail the stage.
	 */
	public CompletionStage<Allocation> allocateAsync(Collection<String> labels, String node) {
		requireNode(node);
		List<String> canonical = this.securityLabels.canonicalise(labels);
		String labelsKey = LabelsKey.of(canonical);
		Optional<Identity> reserved = reserved(labelsKey, canonical);
		if (reserved.isPresent()) {
			return CompletableFuture.completedFuture(new Allocation(reserved.get(), false));
		}
		long started = System.nanoTime();
		return this.store.allocateAsync(labelsKey, node, this.range, this.leaseTtl)
			.exceptionallyCompose((error) -> afterSeeding(error,
					() -> this.store.allocateAsync(labelsKey, node, this.range, this.leaseTtl)))
			.thenApply((stored) -> {
				this.cache.apply(new IdentityChange(IdentityChange.Kind.UPSERT, stored.identity()));
				this.metrics.allocated(stored.created(), System.nanoTime() - started);
				return new Allocation(new Identity(stored.identity().id(), canonical, false), stored.created());
			});
	}

	/**
	 * When the store has no epoch (it lost its data), seeds it off the event loop and
	 * tries once more, so the first allocation after a wipe or on a new store waits for
	 * the seeding rather than failing until the next cache sync.
	 */
	private <T> CompletionStage<T> afterSeeding(Throwable error, Supplier<CompletionStage<T>> retry) {
		if (!(Futures.unwrap(error) instanceof StoreEpochMissingException)) {
			return CompletableFuture.failedFuture(error);
		}
		return CompletableFuture.runAsync(this::synchroniseCache).thenCompose((seeded) -> retry.get());
	}

	/**
	 * Drops the node's reference.
	 * @return whether the node held one; always false for reserved identities, which are
	 * not reference counted
	 */
	public boolean release(long id, String node) {
		requireNode(node);
		if (requireValidId(id)) {
			return false;
		}
		IdentityStore.ReleaseOutcome outcome = this.store.release((int) id, node);
		if (outcome == IdentityStore.ReleaseOutcome.UNKNOWN_IDENTITY) {
			throw new IdentityNotFoundException("identity " + id + " does not exist (never allocated, or freed)");
		}
		boolean released = outcome == IdentityStore.ReleaseOutcome.RELEASED;
		if (released) {
			this.metrics.released();
		}
		return released;
	}

	public Identity lookup(long id) {
		if (requireValidId(id)) {
			return ReservedIdentities.byId(id).orElseThrow();
		}
		Identity cached = this.cache.find((int) id);
		if (cached != null) {
			return cached;
		}
		StoredIdentity stored = this.store.find((int) id)
			.orElseThrow(() -> new IdentityNotFoundException("identity " + id + " does not exist"));
		this.cache.apply(new IdentityChange(IdentityChange.Kind.UPSERT, stored));
		return new Identity(stored.id(), LabelsKey.labels(stored.labelsKey()), false);
	}

	/**
	 * The identity when it is reserved or cached, without asking the store.
	 * @return the identity, or null when only the store can tell
	 * @throws InvalidIdentityRequestException when the id is in no valid range
	 */
	public Identity lookupKnown(long id) {
		if (requireValidId(id)) {
			return ReservedIdentities.byId(id).orElseThrow();
		}
		return this.cache.find((int) id);
	}

	public Identity lookupByLabels(Collection<String> labels) {
		List<String> canonical = this.securityLabels.canonicalise(labels);
		String labelsKey = LabelsKey.of(canonical);
		Optional<Identity> reserved = reserved(labelsKey, canonical);
		if (reserved.isPresent()) {
			return reserved.get();
		}
		Identity cached = this.cache.findByLabels(labelsKey);
		if (cached != null) {
			return cached;
		}
		StoredIdentity stored = this.store.findByLabels(labelsKey)
			.orElseThrow(() -> new IdentityNotFoundException("no identity has the labels " + canonical));
		this.cache.apply(new IdentityChange(IdentityChange.Kind.UPSERT, stored));
		return new Identity(stored.id(), canonical, false);
	}

	/** Every identity, reserved ones first, by number. */
	public List<Identity> list() {
		if (!this.cache.synced()) {
			synchroniseCache();
		}
		List<Identity> identities = new ArrayList<>(ReservedIdentities.all());
		List<Identity> allocated = this.cache.identities();
		allocated.sort(Comparator.comparingInt(Identity::id));
		identities.addAll(allocated);
		return identities;
	}

	/** Renews the node's lease; says how long it lasts and whether it had been lost. */
	public Heartbeat heartbeat(String node) {
		requireNode(node);
		boolean live = this.store.renewLease(node, this.leaseTtl);
		return new Heartbeat(this.leaseTtl, !live);
	}

	/**
	 * Records again the node's references to the identities it holds (after its lease was
	 * lost), giving each held number back to its labels where the store can.
	 * @param held the held identities, each a number and its labels
	 * @return the identity of each held label set, in order; a number differs from the
	 * held one only where the labels had another or the held number went to other labels
	 */
	public List<Identity> register(List<Identity> held, String node) {
		requireNode(node);
		List<StoredIdentity> stored = new ArrayList<>(held.size());
		for (Identity identity : held) {
			requireValidId(identity.id());
			List<String> canonical = this.securityLabels.canonicalise(identity.labels());
			reserved(LabelsKey.of(canonical), canonical).ifPresent((reserved) -> {
				throw new InvalidIdentityRequestException(
						"reserved identity " + reserved.id() + " is not held through identity-service");
			});
			stored.add(new StoredIdentity(identity.id(), LabelsKey.of(canonical), 0));
		}
		List<IdentityStore.StoredAllocation> allocations;
		try {
			allocations = this.store.register(stored, node, this.range, this.leaseTtl);
		}
		catch (StoreEpochMissingException ex) {
			synchroniseCache();
			allocations = this.store.register(stored, node, this.range, this.leaseTtl);
		}
		List<Identity> registered = new ArrayList<>(held.size());
		for (IdentityStore.StoredAllocation allocation : allocations) {
			this.cache.apply(new IdentityChange(IdentityChange.Kind.UPSERT, allocation.identity()));
			registered.add(new Identity(allocation.identity().id(), LabelsKey.labels(allocation.identity().labelsKey()),
					false));
		}
		return registered;
	}

	/**
	 * Sends every identity, then SYNCED, then every change to the watcher until the
	 * returned handle is closed. Keeps working from the cache while the store is down.
	 */
	public AutoCloseable watch(Consumer<WatchEvent> watcher) {
		return this.cache.watch(watcher);
	}

	/**
	 * Re-reads the whole table when the cache is not yet synced or has fallen behind the
	 * store since the previous call (a change missed while the feed was down). Cheap when
	 * nothing was missed: one revision read.
	 */
	public synchronized void synchroniseCache() {
		if (this.epochs.follow()) {
			this.storeRevisionAtLastSync = this.cache.revision();
			return;
		}
		long storeRevision = this.store.revision();
		if (!this.cache.synced() || this.cache.revision() < this.storeRevisionAtLastSync) {
			this.cache.reconcile(this.store.snapshot());
		}
		this.storeRevisionAtLastSync = storeRevision;
	}

	public IdRange range() {
		return this.range;
	}

	private Optional<Identity> reserved(String labelsKey, List<String> canonical) {
		Optional<Identity> reserved = ReservedIdentities.byLabelsKey(labelsKey);
		if (reserved.isEmpty() && canonical.stream().anyMatch((label) -> label.startsWith("reserved:"))) {
			throw new InvalidIdentityRequestException("labels " + canonical
					+ " use the reserved source: only the reserved identities' own labels (e.g. reserved:host alone) may");
		}
		return reserved;
	}

	/** Returns whether the id is reserved; throws when it is in no valid range. */
	private boolean requireValidId(long id) {
		if (ReservedIdentities.isReserved(id)) {
			return true;
		}
		if (!this.range.contains(id)) {
			throw new InvalidIdentityRequestException("identity " + id + " is out of range: valid are the reserved 1-"
					+ ReservedIdentities.MAX_RESERVED + " and the allocated " + this.range);
		}
		return false;
	}

	private static void requireNode(String node) {
		if (node == null || node.isBlank()) {
			throw new InvalidIdentityRequestException("node must be set: references are held per node");
		}
		if (node.length() > MAX_NODE_NAME_LENGTH || node.chars().anyMatch((c) -> Character.isWhitespace(c))) {
			throw new InvalidIdentityRequestException("node '" + node + "' is not a node name (no whitespace, at most "
					+ MAX_NODE_NAME_LENGTH + " characters)");
		}
	}

}
