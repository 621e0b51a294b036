package io.jcilium.identity.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's copy of the cluster's identity table, fed by identity-service's Watch
 * stream, so that lookups of known identities need no call and keep working while the
 * service is down. Reserved identities (1-10) are answered from the static table.
 * <p>
 * Every stream begins with a snapshot. The snapshot is collected aside while the old
 * content keeps answering, and only at its end (the service's SYNCED) replaces the
 * content: identities missing from it become deletes, new or changed ones upserts, so a
 * reconnection after any outage converges without replaying what was missed.
 * <p>
 * Listeners get the changes in the order they were applied, one at a time, outside the
 * lock lookups take.
 */
public final class IdentityCache {

	private static final Logger logger = LoggerFactory.getLogger(IdentityCache.class);

	// Held while changing the content and telling listeners, so that listeners see the
	// changes in the order they were made; lookups only take the cache's own monitor.
	private final Object changeLock = new Object();

	private final Map<Long, Labels> byId = new HashMap<>();

	private final Map<Labels, Long> byLabels = new HashMap<>();

	private final List<IdentityListener> listeners = new CopyOnWriteArrayList<>();

	// The snapshot being received, or null between snapshots.
	private Map<Long, Labels> pending;

	private boolean synced;

	private long snapshots;

	// Changes with every stream start and loss, so that a snapshot's end only marks the
	// cache synced if its stream is still the current one.
	private long streamEpoch;

	/**
	 * The labels of an identity.
	 * @param id the numeric identity
	 * @return its labels, or empty if the cache does not know it
	 */
	public Optional<Labels> find(long id) {
		Optional<ReservedIdentity> reserved = ReservedIdentity.fromId(id);
		if (reserved.isPresent()) {
			return Optional.of(reserved.get().labels());
		}
		synchronized (this) {
			return Optional.ofNullable(this.byId.get(id));
		}
	}

	/**
	 * The identity of a label set, as the service canonicalised it.
	 * @param labels the labels
	 * @return the identity, or empty if the cache does not know the labels
	 */
	public OptionalLong findByLabels(Labels labels) {
		OptionalLong reserved = reservedId(labels);
		if (reserved.isPresent()) {
			return reserved;
		}
		synchronized (this) {
			Long id = this.byLabels.get(labels);
			return (id != null) ? OptionalLong.of(id) : OptionalLong.empty();
		}
	}

	/**
	 * Every identity the cache holds, reserved ones excluded.
	 * @return identities by number
	 */
	public synchronized Map<Long, Labels> identities() {
		return new TreeMap<>(this.byId);
	}

	/** Number of identities held, reserved ones excluded. */
	public synchronized int size() {
		return this.byId.size();
	}

	/**
	 * Whether the content is the service's current table: the current stream delivered
	 * its whole snapshot. False before the first snapshot and while the stream is down.
	 * @return whether synced
	 */
	public synchronized boolean isSynced() {
		return this.synced;
	}

	/** Number of snapshots applied since the cache was made (reconnections show here). */
	public synchronized long snapshots() {
		return this.snapshots;
	}

	/**
	 * Waits until the cache is synced, its listeners told of the snapshot.
	 * @param timeout how long to wait at most
	 * @return whether it is synced
	 * @throws InterruptedException if interrupted while waiting
	 */
	public synchronized boolean awaitSynced(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.synced) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			long millis = Math.max(1, left / 1_000_000);
			wait(millis);
		}
		return true;
	}

	/**
	 * Adds a listener; it first gets every identity held now as an upsert, then every
	 * change.
	 * @param listener the listener
	 */
	public void addListener(IdentityListener listener) {
		synchronized (this.changeLock) {
			this.listeners.add(listener);
			identities().forEach((id, labels) -> tell(listener, new Change(id, labels)));
		}
	}

	public void removeListener(IdentityListener listener) {
		this.listeners.remove(listener);
	}

	/** A new stream begins: what follows up to {@link #snapshotEnded()} is a snapshot. */
	void snapshotStarted() {
		synchronized (this) {
			this.pending = new HashMap<>();
			this.synced = false;
			this.streamEpoch++;
		}
	}

	/** The stream broke: the content stays, but is no longer known to be current. */
	void streamLost() {
		synchronized (this) {
			this.pending = null;
			this.synced = false;
			this.streamEpoch++;
		}
	}

	void upsert(long id, Labels labels) {
		if (ReservedIdentity.fromId(id).isPresent()) {
			return;
		}
		synchronized (this.changeLock) {
			Change change;
			synchronized (this) {
				if (this.pending != null) {
					this.pending.put(id, labels);
					return;
				}
				change = put(id, labels);
			}
			if (change != null) {
				tellAll(List.of(change));
			}
		}
	}

	void delete(long id) {
		synchronized (this.changeLock) {
			Change change;
			synchronized (this) {
				if (this.pending != null) {
					this.pending.remove(id);
					return;
				}
				change = remove(id);
			}
			if (change != null) {
				tellAll(List.of(change));
			}
		}
	}

	/**
	 * The snapshot is complete: it replaces the content. Deletes go out before upserts,
	 * so that listeners never see one label set under two numbers. The cache counts as
	 * synced once the listeners have been told.
	 */
	void snapshotEnded() {
		synchronized (this.changeLock) {
			List<Change> changes = new ArrayList<>();
			long epoch;
			synchronized (this) {
				epoch = this.streamEpoch;
				Map<Long, Labels> snapshot = (this.pending != null) ? this.pending : Map.of();
				this.pending = null;
				for (Long id : new ArrayList<>(new TreeMap<>(this.byId).keySet())) {
					if (!snapshot.containsKey(id)) {
						changes.add(remove(id));
					}
				}
				new TreeMap<>(snapshot).forEach((id, labels) -> {
					Change change = put(id, labels);
					if (change != null) {
						changes.add(change);
					}
				});
			}
			tellAll(changes);
			synchronized (this) {
				if (epoch == this.streamEpoch) {
					this.synced = true;
				}
				this.snapshots++;
				notifyAll();
			}
		}
	}

	// Both under the monitor; return the change to announce, or null for none.
	private Change put(long id, Labels labels) {
		Labels previous = this.byId.put(id, labels);
		if (labels.equals(previous)) {
			return null;
		}
		if (previous != null) {
			this.byLabels.remove(previous, id);
		}
		this.byLabels.put(labels, id);
		return new Change(id, labels);
	}

	private Change remove(long id) {
		Labels previous = this.byId.remove(id);
		if (previous == null) {
			return null;
		}
		this.byLabels.remove(previous, id);
		return new Change(id, null);
	}

	private void tellAll(List<Change> changes) {
		for (IdentityListener listener : this.listeners) {
			for (Change change : changes) {
				tell(listener, change);
			}
		}
	}

	private static void tell(IdentityListener listener, Change change) {
		try {
			if (change.labels() != null) {
				listener.upsert(change.id(), change.labels());
			}
			else {
				listener.delete(change.id());
			}
		}
		catch (RuntimeException ex) {
			// One failing listener must not keep the others (or the cache) behind.
			logger.warn("identity listener {} failed on identity {}: {}", listener, change.id(), ex.toString(), ex);
		}
	}

	static OptionalLong reservedId(Labels labels) {
		if (labels.size() == 1) {
			for (ReservedIdentity reserved : ReservedIdentity.values()) {
				if (reserved.labels().equals(labels)) {
					return OptionalLong.of(reserved.id());
				}
			}
		}
		return OptionalLong.empty();
	}

	// labels == null: a delete.
	private record Change(long id, Labels labels) {
	}

}
