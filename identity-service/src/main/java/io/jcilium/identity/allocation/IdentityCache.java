package io.jcilium.identity.allocation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.jcilium.identity.allocation.IdentityStore.IdentityChange;
import io.jcilium.identity.allocation.IdentityStore.StoreSnapshot;
import io.jcilium.identity.allocation.IdentityStore.StoredIdentity;

/**
 * This replica's view of the identity table, fed by its own allocations, by the store's
 * change feed and by snapshots. It answers lookups while the store is down and feeds the
 * Watch streams.
 * <p>
 * Changes can arrive out of order (a snapshot read on one connection, a change on
 * another), so every entry keeps the revision that last touched it, freed entries stay as
 * tombstones, and an older change never overwrites a newer one.
 */
final class IdentityCache {

	private final Map<Integer, Entry> byId = new HashMap<>();

	private final Map<String, Integer> byLabels = new HashMap<>();

	private final List<Consumer<WatchEvent>> watchers = new ArrayList<>();

	private long revision;

	// The store epoch the content comes from; null before the first snapshot.
	private String epoch;

	private boolean synced;

	private int live;

	synchronized void apply(IdentityChange change) {
		StoredIdentity incoming = change.identity();
		Entry current = this.byId.get(incoming.id());
		this.revision = Math.max(this.revision, incoming.revision());
		if (current != null && current.revision >= incoming.revision()) {
			return;
		}
		if (current != null && current.labelsKey != null) {
			// Also when an UPSERT replaces different labels: the DELETE of the old
			// ones was missed, say it now so watchers never hold both.
			if (change.kind() == IdentityChange.Kind.DELETE || !current.labelsKey.equals(incoming.labelsKey())) {
				this.byLabels.remove(current.labelsKey, incoming.id());
				this.live--;
				notifyWatchers(WatchEvent.Kind.DELETE, incoming.id(), current.labelsKey);
			}
			else {
				this.byId.put(incoming.id(), new Entry(current.labelsKey, incoming.revision()));
				return;
			}
		}
		if (change.kind() == IdentityChange.Kind.DELETE) {
			this.byId.put(incoming.id(), new Entry(null, incoming.revision()));
			return;
		}
		this.byId.put(incoming.id(), new Entry(incoming.labelsKey(), incoming.revision()));
		this.byLabels.put(incoming.labelsKey(), incoming.id());
		this.live++;
		notifyWatchers(WatchEvent.Kind.UPSERT, incoming.id(), incoming.labelsKey());
	}

	/**
	 * Converges on a snapshot: adds what is missing, deletes what the snapshot no longer
	 * has unless a newer change created it after the snapshot was taken.
	 */
	synchronized void reconcile(StoreSnapshot snapshot) {
		Set<Integer> present = new HashSet<>();
		for (StoredIdentity identity : snapshot.identities()) {
			present.add(identity.id());
			apply(new IdentityChange(IdentityChange.Kind.UPSERT, identity));
		}
		List<StoredIdentity> gone = new ArrayList<>();
		this.byId.forEach((id, entry) -> {
			if (entry.labelsKey != null && entry.revision <= snapshot.revision() && !present.contains(id)) {
				gone.add(new StoredIdentity(id, entry.labelsKey, snapshot.revision()));
			}
		});
		gone.forEach((identity) -> apply(new IdentityChange(IdentityChange.Kind.DELETE, identity)));
		this.revision = Math.max(this.revision, snapshot.revision());
		if (!this.synced) {
			this.synced = true;
			notifyWatchers(WatchEvent.SYNCED);
		}
	}

	/**
	 * Makes the content a snapshot of another store epoch (Redis lost its data or was
	 * replaced): revisions of different epochs cannot be compared, so the snapshot wins
	 * whole. Watchers get a DELETE for each identity it lacks or gives other labels, then
	 * an UPSERT for each new one, so they never hold one number under two label sets.
	 */
	synchronized void replace(StoreSnapshot snapshot) {
		Map<Integer, StoredIdentity> incoming = new HashMap<>();
		snapshot.identities().forEach((identity) -> incoming.put(identity.id(), identity));
		Map<Integer, String> before = new HashMap<>();
		this.byId.forEach((id, entry) -> {
			if (entry.labelsKey != null) {
				before.put(id, entry.labelsKey);
			}
		});
		this.byId.clear();
		this.byLabels.clear();
		this.live = 0;
		before.forEach((id, labelsKey) -> {
			StoredIdentity now = incoming.get(id);
			if (now == null || !now.labelsKey().equals(labelsKey)) {
				notifyWatchers(WatchEvent.Kind.DELETE, id, labelsKey);
			}
		});
		incoming.forEach((id, identity) -> {
			this.byId.put(id, new Entry(identity.labelsKey(), identity.revision()));
			this.byLabels.put(identity.labelsKey(), id);
			this.live++;
			if (!identity.labelsKey().equals(before.get(id))) {
				notifyWatchers(WatchEvent.Kind.UPSERT, id, identity.labelsKey());
			}
		});
		this.revision = snapshot.revision();
		this.epoch = snapshot.epoch();
		if (!this.synced) {
			this.synced = true;
			notifyWatchers(WatchEvent.SYNCED);
		}
	}

	/** The store epoch the content comes from, or null before the first snapshot. */
	synchronized String epoch() {
		return this.epoch;
	}

	/** Every live identity with its labelsKey, to seed a store that lost its data. */
	synchronized List<StoredIdentity> storedIdentities() {
		List<StoredIdentity> identities = new ArrayList<>(this.live);
		this.byId.forEach((id, entry) -> {
			if (entry.labelsKey != null) {
				identities.add(new StoredIdentity(id, entry.labelsKey, entry.revision));
			}
		});
		return identities;
	}

	synchronized Identity find(int id) {
		Entry entry = this.byId.get(id);
		return (entry != null && entry.labelsKey != null) ? toIdentity(id, entry.labelsKey) : null;
	}

	synchronized Identity findByLabels(String labelsKey) {
		Integer id = this.byLabels.get(labelsKey);
		return (id != null) ? toIdentity(id, labelsKey) : null;
	}

	synchronized List<Identity> identities() {
		List<Identity> identities = new ArrayList<>(this.live);
		this.byId.forEach((id, entry) -> {
			if (entry.labelsKey != null) {
				identities.add(toIdentity(id, entry.labelsKey));
			}
		});
		return identities;
	}

	synchronized int size() {
		return this.live;
	}

	synchronized long revision() {
		return this.revision;
	}

	synchronized boolean synced() {
		return this.synced;
	}

	/**
	 * Sends the reserved identities and every cached identity, then SYNCED once the cache
	 * has seen a snapshot, then every change, all in order.
	 * @return a handle that stops the events
	 */
	synchronized AutoCloseable watch(Consumer<WatchEvent> watcher) {
		try {
			ReservedIdentities.all()
				.forEach((identity) -> watcher.accept(new WatchEvent(WatchEvent.Kind.UPSERT, identity)));
			identities().forEach((identity) -> watcher.accept(new WatchEvent(WatchEvent.Kind.UPSERT, identity)));
			if (this.synced) {
				watcher.accept(WatchEvent.SYNCED);
			}
		}
		catch (RuntimeException ex) {
			// The watcher went away during its snapshot: nothing to follow.
			return () -> {
			};
		}
		this.watchers.add(watcher);
		return () -> unwatch(watcher);
	}

	private synchronized void unwatch(Consumer<WatchEvent> watcher) {
		this.watchers.remove(watcher);
	}

	synchronized int watcherCount() {
		return this.watchers.size();
	}

	private void notifyWatchers(WatchEvent.Kind kind, int id, String labelsKey) {
		// Without watchers (the common case between agents' restarts) no event is built.
		if (!this.watchers.isEmpty()) {
			notifyWatchers(new WatchEvent(kind, toIdentity(id, labelsKey)));
		}
	}

	private void notifyWatchers(WatchEvent event) {
		if (this.watchers.isEmpty()) {
			return;
		}
		for (Consumer<WatchEvent> watcher : List.copyOf(this.watchers)) {
			try {
				watcher.accept(event);
			}
			catch (RuntimeException ex) {
				// A watcher that cannot take events (its stream is gone) must not stop
				// the others from getting theirs.
				this.watchers.remove(watcher);
			}
		}
	}

	private static Identity toIdentity(int id, String labelsKey) {
		return new Identity(id, LabelsKey.labels(labelsKey), false);
	}

	private record Entry(String labelsKey, long revision) {
	}

}
