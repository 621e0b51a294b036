package io.jcilium.operator.identitygc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of identity GC, plain Java. An identity identity-service knows but no
 * CiliumEndpoint uses is marked by one pass and released by the next if still unused, and
 * only once it has been known to this collector for the grace period: an identity
 * allocated a moment ago, whose endpoint is not written yet, survives. Releasing means
 * dropping every node's reference (identity-service's API has no other way to free an
 * identity); identity-service's own GC then frees it.
 * <p>
 * Nothing is released unless identity-service answered the listing in the same pass: a
 * failing pass leaves every mark as it was and is retried.
 */
final class IdentityGarbageCollector {

	private static final Logger logger = LoggerFactory.getLogger(IdentityGarbageCollector.class);

	private final IdentityRegistry registry;

	private final Duration grace;

	private final Clock clock;

	private final IdentityGcMetrics metrics;

	private final Map<Long, Instant> firstSeen = new HashMap<>();

	private Set<Long> unusedLastPass = Set.of();

	private final Set<Long> released = new HashSet<>();

	IdentityGarbageCollector(IdentityRegistry registry, Duration grace, Clock clock, IdentityGcMetrics metrics) {
		this.registry = registry;
		this.grace = grace;
		this.clock = clock;
		this.metrics = metrics;
	}

	/**
	 * One pass.
	 * @param inUse identities the CiliumEndpoints carry
	 * @param nodes the nodes that may hold references
	 * @return identities released by this pass
	 * @throws IdentityGcException when identity-service could not be asked
	 */
	synchronized Set<Long> collect(Set<Long> inUse, Collection<String> nodes) {
		Set<Long> known;
		try {
			known = this.registry.allocated();
		}
		catch (RuntimeException ex) {
			this.metrics.failedPass();
			throw new IdentityGcException("identity GC pass failed: identity-service did not list its identities ("
					+ ex.getMessage() + "); nothing was released, the pass is retried", ex);
		}
		Instant now = this.clock.instant();
		this.firstSeen.keySet().retainAll(known);
		this.released.retainAll(known);
		Set<Long> unused = new HashSet<>();
		Set<Long> releasedNow = new HashSet<>();
		for (Long id : known) {
			Instant seen = this.firstSeen.computeIfAbsent(id, (key) -> now);
			if (inUse.contains(id)) {
				this.released.remove(id);
				continue;
			}
			unused.add(id);
			boolean due = this.unusedLastPass.contains(id) && !now.isBefore(seen.plus(this.grace));
			if (due && !this.released.contains(id)) {
				// A failure midway throws before the marks below are replaced: the
				// previous pass's marks stay and the next pass retries.
				release(id, nodes);
				this.released.add(id);
				releasedNow.add(id);
			}
		}
		this.unusedLastPass = Set.copyOf(unused);
		this.metrics.passed(releasedNow.size(), unused.size());
		return releasedNow;
	}

	private void release(long id, Collection<String> nodes) {
		int dropped = 0;
		try {
			for (String node : nodes) {
				if (!this.registry.release(id, node)) {
					break;
				}
				dropped++;
			}
		}
		catch (RuntimeException ex) {
			this.metrics.failedPass();
			throw new IdentityGcException("identity GC pass failed while releasing identity " + id + " ("
					+ ex.getMessage() + "); the release is retried next pass", ex);
		}
		logger.info("Identity {} is used by no CiliumEndpoint: released it on {} nodes", id, dropped);
	}

}
