package io.jcilium.agent.endpoint;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lifecycle's bookkeeping for one endpoint. {@link #lock} serializes everything that
 * changes the endpoint (a regeneration, its removal); the scheduling fields are guarded
 * by this object's monitor and only touched by {@link RegenerationQueue}.
 */
final class EndpointWork {

	/** Held while the endpoint is reconciled or torn down. */
	final ReentrantLock lock = new ReentrantLock();

	/**
	 * Completes when the endpoint first becomes ready, exceptionally when its first
	 * regeneration fails or it is removed before; CNI ADD waits on it.
	 */
	final CompletableFuture<Void> firstReady = new CompletableFuture<>();

	/** When CNI ADD started, for the ADD-to-ready time; 0 for restored endpoints. */
	final long createdNanos;

	/** The steps of the ADD that created the endpoint, until it is ready. */
	volatile AddTimeline timeline = AddTimeline.none();

	// Guarded by lock.

	/** Set once torn down: queued work for it is dropped. */
	volatile boolean removed;

	/**
	 * Set while CNI ADD creates the endpoint (veth, guard, state file): it is in the
	 * table already, but a regeneration before the guard would be undone by it, so
	 * reconciling waits; the ADD queues the first run once the guard is attached.
	 */
	volatile boolean settingUp;

	/** Whether the security labels were ever known (from the API server or restored). */
	boolean labelsKnown;

	/** The identity must be resolved (again): new endpoint, new labels, restored. */
	boolean identityStale = true;

	/**
	 * Whether this agent process resolved the current identity, so removing the endpoint
	 * must release it.
	 */
	boolean identityHeld;

	/** The datapath must be regenerated even if the identity did not change. */
	boolean regenerationNeeded = true;

	/** Someone asked for a regeneration (policy changed); read and cleared under lock. */
	volatile boolean regenerationRequested;

	/** The failure of the last regeneration, handed to a waiting CNI ADD. */
	RuntimeException datapathFailure;

	// Guarded by this object's monitor (RegenerationQueue).

	boolean scheduled;

	boolean running;

	boolean runAgain;

	Future<?> retry;

	/** Runs in a row that asked for a retry; 0 once a run needs none. */
	int retriesInARow;

	EndpointWork(long createdNanos) {
		this.createdNanos = createdNanos;
	}

}
