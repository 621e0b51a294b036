package io.jcilium.identity.allocation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The identity store in memory, with the same semantics as the Redis scripts, for fast
 * tests of the allocator's rules. Time comes from a supplier so leases can be expired
 * without waiting.
 */
final class InMemoryIdentityStore implements IdentityStore {

	private final LongSupplier clockMillis;

	private final Map<String, Integer> byLabels = new HashMap<>();

	private final Map<Integer, StoredIdentity> byId = new HashMap<>();

	private final Map<Integer, Set<String>> references = new HashMap<>();

	private final Map<String, Set<Integer>> nodeReferences = new HashMap<>();

	private final Map<String, Long> leaseDeadlines = new HashMap<>();

	private final Set<String> lapsedLeases = new HashSet<>();

	private final Map<Integer, Long> unreferenced = new HashMap<>();

	private final TreeMap<Long, Integer> freed = new TreeMap<>();

	private final List<Consumer<IdentityChange>> listeners = new CopyOnWriteArrayList<>();

	private long nextId = -1;

	private String epoch = "initial";

	private long revision;

	private long stamp;

	private String gcTurnOwner;

	private long gcTurnDeadline;

	InMemoryIdentityStore(LongSupplier clockMillis) {
		this.clockMillis = clockMillis;
	}

	@Override
	public synchronized StoredAllocation allocate(String labelsKey, String node, IdRange range, Duration leaseTtl) {
		if (this.epoch == null) {
			throw new StoreEpochMissingException("allocation");
		}
		Integer id = this.byLabels.get(labelsKey);
		boolean created = false;
		if (id == null) {
			id = pickFreeNumber(range);
			StoredIdentity identity = new StoredIdentity(id, labelsKey, ++this.revision);
			this.byLabels.put(labelsKey, id);
			this.byId.put(id, identity);
			publish(new IdentityChange(IdentityChange.Kind.UPSERT, identity));
			created = true;
		}
		this.references.computeIfAbsent(id, (key) -> new HashSet<>()).add(node);
		this.nodeReferences.computeIfAbsent(node, (key) -> new HashSet<>()).add(id);
		this.unreferenced.remove(id);
		this.leaseDeadlines.put(node, this.clockMillis.getAsLong() + leaseTtl.toMillis());
		return new StoredAllocation(this.byId.get(id), created);
	}

	private int pickFreeNumber(IdRange range) {
		long candidate = Math.max(this.nextId, range.min());
		while (candidate <= range.max() && this.byId.containsKey((int) candidate)) {
			candidate++;
		}
		if (candidate <= range.max()) {
			this.nextId = candidate + 1;
			return (int) candidate;
		}
		while (!this.freed.isEmpty()) {
			int reused = this.freed.pollFirstEntry().getValue();
			if (range.contains(reused) && !this.byId.containsKey(reused)) {
				return reused;
			}
		}
		throw new IdentityRangeExhaustedException(range);
	}

	@Override
	public synchronized ReleaseOutcome release(int id, String node) {
		if (!this.byId.containsKey(id)) {
			return ReleaseOutcome.UNKNOWN_IDENTITY;
		}
		Set<Integer> ids = this.nodeReferences.getOrDefault(node, new HashSet<>());
		ids.remove(id);
		return dropReference(id, node) ? ReleaseOutcome.RELEASED : ReleaseOutcome.NOT_REFERENCED;
	}

	private boolean dropReference(int id, String node) {
		Set<String> nodes = this.references.getOrDefault(id, new HashSet<>());
		boolean removed = nodes.remove(node);
		if (removed && nodes.isEmpty()) {
			this.references.remove(id);
			this.unreferenced.put(id, ++this.stamp);
		}
		return removed;
	}

	@Override
	public synchronized boolean renewLease(String node, Duration leaseTtl) {
		long now = this.clockMillis.getAsLong();
		Long deadline = this.leaseDeadlines.put(node, now + leaseTtl.toMillis());
		boolean lapsed = this.lapsedLeases.remove(node);
		return !lapsed && deadline != null && deadline >= now;
	}

	@Override
	public synchronized List<StoredAllocation> register(List<StoredIdentity> held, String node, IdRange range,
			Duration leaseTtl) {
		if (this.epoch == null) {
			throw new StoreEpochMissingException("registering");
		}
		List<StoredAllocation> registered = new ArrayList<>();
		for (StoredIdentity identity : held) {
			if (!this.byLabels.containsKey(identity.labelsKey()) && range.contains(identity.id())
					&& !this.byId.containsKey(identity.id())) {
				claim(identity.id(), identity.labelsKey());
				this.references.computeIfAbsent(identity.id(), (key) -> new HashSet<>()).add(node);
				this.nodeReferences.computeIfAbsent(node, (key) -> new HashSet<>()).add(identity.id());
				this.leaseDeadlines.put(node, this.clockMillis.getAsLong() + leaseTtl.toMillis());
				registered.add(new StoredAllocation(this.byId.get(identity.id()), true));
			}
			else {
				registered.add(allocate(identity.labelsKey(), node, range, leaseTtl));
			}
		}
		return registered;
	}

	@Override
	public synchronized Optional<String> epoch() {
		return Optional.ofNullable(this.epoch);
	}

	@Override
	public synchronized String seed(String candidateEpoch, List<StoredIdentity> known) {
		if (this.epoch == null) {
			this.epoch = candidateEpoch;
			for (StoredIdentity identity : known) {
				if (!this.byLabels.containsKey(identity.labelsKey()) && !this.byId.containsKey(identity.id())) {
					claim(identity.id(), identity.labelsKey());
					this.unreferenced.put(identity.id(), ++this.stamp);
				}
			}
		}
		return this.epoch;
	}

	/** Loses every key, as Redis does on FLUSHALL. */
	synchronized void wipe() {
		this.byLabels.clear();
		this.byId.clear();
		this.references.clear();
		this.nodeReferences.clear();
		this.leaseDeadlines.clear();
		this.lapsedLeases.clear();
		this.unreferenced.clear();
		this.freed.clear();
		this.nextId = -1;
		this.revision = 0;
		this.stamp = 0;
		this.epoch = null;
	}

	private void claim(int id, String labelsKey) {
		StoredIdentity identity = new StoredIdentity(id, labelsKey, ++this.revision);
		this.byLabels.put(labelsKey, id);
		this.byId.put(id, identity);
		this.freed.values().remove(id);
		publish(new IdentityChange(IdentityChange.Kind.UPSERT, identity));
	}

	@Override
	public synchronized Optional<StoredIdentity> find(int id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	@Override
	public synchronized Optional<StoredIdentity> findByLabels(String labelsKey) {
		return Optional.ofNullable(this.byLabels.get(labelsKey)).map(this.byId::get);
	}

	@Override
	public synchronized StoreSnapshot snapshot() {
		return new StoreSnapshot(this.revision, (this.epoch != null) ? this.epoch : "",
				List.copyOf(this.byId.values()));
	}

	@Override
	public synchronized long revision() {
		return this.revision;
	}

	@Override
	public synchronized int expireLeases() {
		long now = this.clockMillis.getAsLong();
		int dropped = 0;
		for (String node : List.copyOf(this.leaseDeadlines.keySet())) {
			if (this.leaseDeadlines.get(node) <= now) {
				for (int id : this.nodeReferences.getOrDefault(node, Set.of())) {
					dropped += dropReference(id, node) ? 1 : 0;
				}
				this.nodeReferences.remove(node);
				this.leaseDeadlines.remove(node);
				this.lapsedLeases.add(node);
			}
		}
		return dropped;
	}

	@Override
	public synchronized Map<Integer, Long> unreferencedIds() {
		return Map.copyOf(this.unreferenced);
	}

	@Override
	public synchronized List<IdentityChange> freeIfUnreferenced(Map<Integer, Long> stampedIds) {
		List<IdentityChange> changes = new ArrayList<>();
		stampedIds.forEach((id, stamp) -> {
			if (stamp.equals(this.unreferenced.get(id)) && !this.references.containsKey(id)) {
				StoredIdentity identity = this.byId.remove(id);
				this.byLabels.remove(identity.labelsKey());
				this.unreferenced.remove(id);
				long deleted = ++this.revision;
				this.freed.put(deleted, id);
				IdentityChange change = new IdentityChange(IdentityChange.Kind.DELETE,
						new StoredIdentity(id, identity.labelsKey(), deleted));
				publish(change);
				changes.add(change);
			}
		});
		return changes;
	}

	@Override
	public synchronized boolean tryAcquireGcTurn(String owner, Duration turn) {
		long now = this.clockMillis.getAsLong();
		if (this.gcTurnOwner == null || this.gcTurnOwner.equals(owner) || this.gcTurnDeadline <= now) {
			this.gcTurnOwner = owner;
			this.gcTurnDeadline = now + turn.toMillis();
			return true;
		}
		return false;
	}

	@Override
	public void addChangeListener(Consumer<IdentityChange> listener) {
		this.listeners.add(listener);
	}

	synchronized int referenceCount(int id) {
		return this.references.getOrDefault(id, Set.of()).size();
	}

	private void publish(IdentityChange change) {
		this.listeners.forEach((listener) -> listener.accept(change));
	}

}
