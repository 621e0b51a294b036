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
	 * @return whether the node had a live lease; false when it never had one, when it
	 * expired, or when the store lost its data: its references may be gone, and the node
	 * should {@link #register} what it holds
	 */
	boolean renewLease(String node, Duration leaseTtl);

	/**
	 * Records again a node's references to the identities it holds, giving each held
	 * number back to its labels where it can: the labels' identity if they have one, else
	 * the held number if it is free, else a fresh number. Renews the node's lease.
	 * @param held the node's identities (their revisions are ignored)
	 * @return the identity of each held label set, in order
	 * @throws StoreEpochMissingException when the store lost its data and is not seeded
	 * yet
	 * @throws IdentityRangeExhaustedException when a fresh number is needed and none is
	 * free
	 */
	List<StoredAllocation> register(List<StoredIdentity> held, String node, IdRange range, Duration leaseTtl);

	/**
	 * The store's epoch: a token set when the store was seeded, so that a store that lost
	 * its data (no epoch) or was replaced (another epoch) is told apart from one that
	 * only moved on.
	 * @return the epoch, or empty when the store has none
	 */
	Optional<String> epoch();

	/**
	 * Gives a store without an epoch the candidate one, seeded with the identities the
	 * caller knew, so that numbers in use keep their labels; allocations wait for this
	 * ({@link StoreEpochMissingException}). A store with an epoch is left as it is.
	 * @param candidateEpoch the epoch to set
	 * @param known the identities to seed with (their revisions are ignored)
	 * @return the store's epoch after the call
	 */
	String seed(String candidateEpoch, List<StoredIdentity> known);

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
	 * @param epoch the store's epoch, empty when it has none
	 * @param identities the identities
	 */
	record StoreSnapshot(long revision, String epoch, List<StoredIdentity> identities) {

		public StoreSnapshot(long revision, List<StoredIdentity> identities) {
			this(revision, "", identities);
		}

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
