package io.jcilium.agent.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Which policy revision each endpoint's map holds, and who waits for a revision to be in
 * every map (upstream's endpoint policy revision and {@code cilium policy wait}).
 * Confined to the policy map writer's thread.
 */
final class PolicyRevisions {

	/** Endpoints with a map: the revision their map holds completely. */
	private final Map<Integer, Long> realized = new HashMap<>();

	private final List<Waiter> waiters = new ArrayList<>();

	/**
	 * An endpoint's map now holds (at least) a revision.
	 * @param endpointId the endpoint
	 * @param revision the revision
	 */
	void reached(int endpointId, long revision) {
		this.realized.merge(endpointId, revision, Math::max);
		complete();
	}

	/**
	 * An endpoint's map is no longer written (dropped or gone): nobody waits for it.
	 * @param endpointId the endpoint
	 */
	void forget(int endpointId) {
		this.realized.remove(endpointId);
		complete();
	}

	/**
	 * Completes once every endpoint's map holds the revision or a later one.
	 * @param revision the revision
	 * @param done completed with the revision
	 */
	void await(long revision, CompletableFuture<Long> done) {
		this.waiters.add(new Waiter(revision, done));
		complete();
	}

	/** Fails every waiter: no map will be written any more. */
	void abandon(RuntimeException why) {
		this.waiters.forEach((waiter) -> waiter.done.completeExceptionally(why));
		this.waiters.clear();
	}

	private void complete() {
		long everywhere = this.realized.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
		for (Iterator<Waiter> it = this.waiters.iterator(); it.hasNext();) {
			Waiter waiter = it.next();
			if (waiter.revision <= everywhere) {
				waiter.done.complete(waiter.revision);
				it.remove();
			}
		}
	}

	private record Waiter(long revision, CompletableFuture<Long> done) {

	}

}
