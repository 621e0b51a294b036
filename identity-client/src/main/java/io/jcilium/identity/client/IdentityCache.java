package io.jcilium.identity.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;

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
 * lock lookups take. This class keeps the stream's state (snapshot under way, synced);
 * the table is an {@link IdentityTable}, the listeners an {@link IdentityListeners}.
 */
public final class IdentityCache {

	// Held while changing the content and telling listeners, so that listeners see the
	// changes in the order they were made; lookups only take the cache's own monitor.
	private final Object changeLock = new Object();

	private final IdentityTable table = new IdentityTable();

	private final IdentityListeners listeners = new IdentityListeners();

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
			return Optional.ofNullable(this.table.find(id));
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
			Long id = this.table.findByLabels(labels);
			return (id != null) ? OptionalLong.of(id) : OptionalLong.empty();
		}
	}

	/**
	 * Every identity the cache holds, reserved ones excluded.
	 * @return identities by number
	 */
	public synchronized Map<Long, Labels> identities() {
		return this.table.copy();
	}

	/** Number of identities held, reserved ones excluded. */
	public synchronized int size() {
		return this.table.size();
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
			this.listeners.add(listener, identities());
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
			IdentityTable.Change change;
			synchronized (this) {
				if (this.pending != null) {
					this.pending.put(id, labels);
					return;
				}
				change = this.table.put(id, labels);
			}
			if (change != null) {
				this.listeners.tellAll(List.of(change));
			}
		}
	}

	void delete(long id) {
		synchronized (this.changeLock) {
			IdentityTable.Change change;
			synchronized (this) {
				if (this.pending != null) {
					this.pending.remove(id);
					return;
				}
				change = this.table.remove(id);
			}
			if (change != null) {
				this.listeners.tellAll(List.of(change));
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
			List<IdentityTable.Change> changes;
			long epoch;
			synchronized (this) {
				epoch = this.streamEpoch;
				Map<Long, Labels> snapshot = (this.pending != null) ? this.pending : Map.of();
				this.pending = null;
				changes = this.table.replaceWith(snapshot);
			}
			this.listeners.tellAll(changes);
			synchronized (this) {
				if (epoch == this.streamEpoch) {
					this.synced = true;
				}
				this.snapshots++;
				notifyAll();
			}
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

}
