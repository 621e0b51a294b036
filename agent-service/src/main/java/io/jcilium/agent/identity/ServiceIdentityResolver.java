package io.jcilium.agent.identity;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;

import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.endpoint.IdentityResolver;
import io.jcilium.common.identity.NumericIdentity;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import io.jcilium.identity.client.IdentityClient;
import io.jcilium.identity.client.IdentityClientException;
import io.jcilium.identity.client.IdentityUnavailableException;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves an endpoint's identity through identity-service: allocates the identity of its
 * security labels with a reference held by this node. Every successful {@link #resolve}
 * is one local use of the identity, given back by {@link #release}; the node's reference
 * at the service is dropped once no local use is left (as upstream's agent counts its
 * local users of an identity before releasing the key).
 * <p>
 * When identity-service or its Redis is down, {@link #resolve} fails within the client's
 * call timeout with an {@link IdentityUnavailableException} saying what is down and since
 * when; the endpoint waits for its identity and is resolved again later. An endpoint
 * without labels (outside Kubernetes) gets the reserved {@code init} identity, as
 * upstream gives it.
 * <p>
 * Releases are calls made by the job {@value #RELEASE_JOB}, in the order asked for; they
 * must not hold up the endpoint that gave the identity back. A release that fails is
 * logged and dropped (the job records the failure).
 */
public final class ServiceIdentityResolver implements IdentityResolver, AutoCloseable {

	static final String RELEASE_JOB = "identity-release";

	private static final Logger logger = LoggerFactory.getLogger(ServiceIdentityResolver.class);

	private static final Backoff RELEASE_BACKOFF = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

	private final IdentityClient client;

	private final String node;

	// Guarded by this: local uses of each cluster-wide identity, with its labels.
	private final Map<Long, Uses> uses = new HashMap<>();

	// Guarded by itself: releases not made yet, oldest first.
	private final Queue<Release> releases = new ArrayDeque<>();

	private final Job releaseJob;

	private boolean closed;

	public ServiceIdentityResolver(IdentityClient client, String node, Jobs jobs) {
		this.client = client;
		this.node = node;
		this.releaseJob = jobs.retryUntilSuccess(RELEASE_JOB, RELEASE_BACKOFF, this::releasePending);
		client.onLeaseLost(this::registerHeld);
	}

	/**
	 * Registers again every identity this node's endpoints use, after identity-service
	 * reported the node's lease lost (it expired while the node was cut off, or Redis
	 * lost its data): the node's references come back, and so do the numbers, unless one
	 * went to other labels meanwhile, which is logged as an error.
	 */
	void registerHeld() {
		Map<Long, Labels> held = new LinkedHashMap<>();
		synchronized (this) {
			this.uses.forEach((id, used) -> held.put(id, used.labels));
		}
		Map<Long, Long> now = this.client.register(held, this.node);
		logger.info("identity-service reported the lease of node {} lost: registered its {} identities again",
				this.node, held.size());
		now.forEach((heldId, id) -> {
			if (!heldId.equals(id)) {
				logger.error(
						"identity {} of labels {} came back as {} (its number went to other labels while the "
								+ "lease was lost): endpoints keep {} until they are regenerated",
						heldId, held.get(heldId), id, heldId);
			}
		});
	}

	@Override
	public long resolve(Endpoint endpoint) {
		return resolve(endpoint.securityLabels());
	}

	long resolve(Labels labels) {
		if (labels.isEmpty()) {
			return ReservedIdentity.INIT.id();
		}
		long id;
		try {
			id = this.client.allocate(labels, this.node);
		}
		catch (IdentityUnavailableException ex) {
			throw new IdentityUnavailableException(
					"cannot resolve the identity of labels " + labels + ": " + ex.getMessage(), ex);
		}
		if (NumericIdentity.isClusterWide(id)) {
			synchronized (this) {
				this.uses.computeIfAbsent(id, (key) -> new Uses(labels)).count++;
			}
		}
		return id;
	}

	@Override
	public void release(long identity) {
		Uses left;
		synchronized (this) {
			left = this.uses.get(identity);
			if (left == null || --left.count > 0) {
				return;
			}
			this.uses.remove(identity);
		}
		releaseLater(identity, left.labels);
	}

	/** Local uses of the identity. */
	synchronized int uses(long id) {
		Uses held = this.uses.get(id);
		return (held != null) ? held.count : 0;
	}

	@Override
	public void close() {
		synchronized (this.releases) {
			this.closed = true;
			this.releases.clear();
		}
		this.releaseJob.stop();
	}

	private void releaseLater(long id, Labels labels) {
		synchronized (this.releases) {
			if (this.closed) {
				return;
			}
			this.releases.add(new Release(id, labels));
		}
		this.releaseJob.start();
		this.releaseJob.trigger();
	}

	private void releasePending() {
		int failed = 0;
		String firstFailure = null;
		for (Release next = nextRelease(); next != null; next = nextRelease()) {
			try {
				release(next);
			}
			catch (IdentityClientException ex) {
				logger.warn("reference of node {} to identity {} not released: {}", this.node, next.id(),
						ex.getMessage());
				failed++;
				if (firstFailure == null) {
					firstFailure = "identity " + next.id() + ": " + ex.getMessage();
				}
			}
		}
		if (failed > 0) {
			throw new IllegalStateException(failed + " releases failed, first " + firstFailure);
		}
	}

	private Release nextRelease() {
		synchronized (this.releases) {
			return this.releases.poll();
		}
	}

	private void release(Release release) {
		this.client.release(release.id(), this.node);
		boolean usedAgain;
		synchronized (this) {
			usedAgain = this.uses.containsKey(release.id());
		}
		// A new endpoint took the identity while the release was under way: take the
		// node's reference again (allocation is idempotent).
		if (usedAgain) {
			this.client.allocate(release.labels(), this.node);
		}
	}

	private record Release(long id, Labels labels) {
	}

	private static final class Uses {

		private final Labels labels;

		private int count;

		Uses(Labels labels) {
			this.labels = labels;
		}

	}

}
