package io.jcilium.identity.allocation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What the allocator needs from cluster-wide storage. Every method is one atomic step of
 * the store, so several identity-service replicas can share it: the rules that combine
 * the steps (canonical labels, reserved identities, two-pass GC) live in
 * {@link IdentityAllocator} and {@link IdentityGarbageCollector}.
 * <p>
 * Labels travel as a {@code labelsKey}: the canonical labels joined with {@code ;}. Every
 * change of the identity table carries a revision from one store-wide counter, so caches
 * can order changes and snapshots.
 */
public interface IdentityStore {

	/**
	 * Returns the identity of the label set, creating it with a free number of the range
	 * if there is none; records a reference from the node and renews its lease.
	 * Concurrent calls with the same labels get the same identity.
	 * @throws IdentityRangeExhaustedException when no number of the range is free
	 */
	StoredAllocation allocate(String labelsKey, String node, IdRange range, Duration leaseTtl);

	/**
	 * {@link #allocate} without holding the caller's thread while the store works; the
	 * stage fails with the exceptions {@code allocate} throws. Stores that can only wait
	 * run {@code allocate} on the caller's thread.
	 */
	default CompletionStage<StoredAllocation> allocateAsync(String labelsKey, String node, IdRange range,
			Duration leaseTtl) {
		return Futures.of(() -> allocate(labelsKey, node, range, leaseTtl));
	}

	/** Drops the node's reference to the identity. */
	ReleaseOutcome release(int id, String node);

	/**
	 * Keeps the node's lease, and so its references, alive for another {@code leaseTtl}.
	 */
	void renewLease(String node, Duration leaseTtl);

	Optional<StoredIdentity> find(int id);

	Optional<StoredIdentity> findByLabels(String labelsKey);

	/** Every identity, atomically, with the store revision it reflects. */
	StoreSnapshot snapshot();

	/** The revision of the latest change. */
	long revision();

	/**
	 * Drops every reference of the nodes whose lease has expired.
	 * @return the number of references dropped
	 */
	int expireLeases();

	/**
	 * The identities no node refers to, each with a stamp that changes whenever the
	 * identity gets referenced and unreferenced again.
	 */
	Map<Integer, Long> unreferencedIds();

	/**
	 * Frees each identity that is still unreferenced with the same stamp, so that its
	 * number can be reused.
	 * @return a DELETE change per freed identity
	 */
	List<IdentityChange> freeIfUnreferenced(Map<Integer, Long> stampedIds);

	/**
	 * Takes or keeps the store-wide turn to run garbage collection, so one replica
	 * collects at a time.
	 */
	boolean tryAcquireGcTurn(String owner, Duration turn);

	/**
	 * Registers a listener for changes made by any replica. Delivery is best effort (a
	 * replica re-reads a {@link #snapshot()} when it falls behind).
	 */
	void addChangeListener(Consumer<IdentityChange> listener);

	/**
	 * An identity of the store.
	 *
	 * @param id the number
	 * @param labelsKey the canonical labels joined with {@code ;}
	 * @param revision the revision that created it
	 */
	record StoredIdentity(int id, String labelsKey, long revision) {
	}

	/**
	 * The result of {@link #allocate}.
	 *
	 * @param identity the identity
	 * @param created whether this call created it
	 */
	record StoredAllocation(StoredIdentity identity, boolean created) {
	}

	/**
	 * Every identity at one revision.
	 *
	 * @param revision the store revision
	 * @param identities the identities
	 */
	record StoreSnapshot(long revision, List<StoredIdentity> identities) {
	}

	/**
	 * A change of the identity table.
	 *
	 * @param kind created or freed
	 * @param identity the identity, with the revision of this change
	 */
	record IdentityChange(Kind kind, StoredIdentity identity) {

		/** What happened. */
		public enum Kind {

			UPSERT, DELETE

		}

	}

	/** The outcome of {@link #release}. */
	enum ReleaseOutcome {

		/** The node's reference was dropped. */
		RELEASED,
		/** The identity exists but the node held no reference to it. */
		NOT_REFERENCED,
		/** No identity has that number. */
		UNKNOWN_IDENTITY

	}

}
