package io.jcilium.agent.identity;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.endpoint.EndpointListener;
import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.agent.endpoint.IdentityResolver;
import io.jcilium.common.identity.NumericIdentity;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import io.jcilium.identity.client.IdentityClient;
import io.jcilium.identity.client.IdentityClientException;
import io.jcilium.identity.client.IdentityUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves an endpoint's identity through identity-service: allocates the identity of its
 * security labels with a reference held by this node, and drops the node's reference once
 * no endpoint of the node uses the identity any more (as upstream's agent counts its
 * local users of an identity before releasing the key).
 * <p>
 * When identity-service or its Redis is down, {@link #resolve} fails within the client's
 * call timeout with an {@link IdentityUnavailableException} saying what is down and since
 * when; the endpoint waits for its identity and is resolved again later. An endpoint
 * whose labels are not known yet gets the reserved {@code init} identity, as upstream
 * gives it.
 */
public final class ServiceIdentityResolver implements IdentityResolver, EndpointListener, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ServiceIdentityResolver.class);

	private final IdentityClient client;

	private final String node;

	// Guarded by this: each endpoint's identity, and how many endpoints use each.
	private final Map<Integer, Held> heldByEndpoint = new HashMap<>();

	private final Map<Long, Integer> users = new HashMap<>();

	// Releases are calls; they must not hold up the endpoint that triggered them.
	private final ExecutorService releases = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "identity-release");
		thread.setDaemon(true);
		return thread;
	});

	public ServiceIdentityResolver(IdentityClient client, String node) {
		this.client = client;
		this.node = node;
	}

	@Override
	public long resolve(Endpoint endpoint) {
		return resolve(endpoint.id(), endpoint.securityLabels());
	}

	long resolve(int endpointId, Labels labels) {
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
		hold(endpointId, new Held(id, labels));
		return id;
	}

	/** Number of endpoints of this node using the identity. */
	synchronized int users(long id) {
		return this.users.getOrDefault(id, 0);
	}

	@Override
	public void endpointChanged(EndpointStatus status) {
		// The identity was taken in resolve(); nothing to do on other changes.
	}

	@Override
	public void endpointRemoved(EndpointStatus status) {
		Held released;
		synchronized (this) {
			released = drop(this.heldByEndpoint.remove(status.id()));
		}
		releaseLater(released);
	}

	@Override
	public void close() {
		this.releases.shutdownNow();
	}

	private void hold(int endpointId, Held held) {
		Held released;
		synchronized (this) {
			Held previous = this.heldByEndpoint.put(endpointId, held);
			if (previous != null && previous.id() == held.id()) {
				return;
			}
			this.users.merge(held.id(), 1, Integer::sum);
			released = drop(previous);
		}
		releaseLater(released);
	}

	// Under the monitor; returns the identity whose last user this was, if any.
	private Held drop(Held held) {
		if (held == null) {
			return null;
		}
		int left = this.users.merge(held.id(), -1, Integer::sum);
		if (left > 0) {
			return null;
		}
		this.users.remove(held.id());
		return NumericIdentity.isClusterWide(held.id()) ? held : null;
	}

	private void releaseLater(Held held) {
		if (held == null) {
			return;
		}
		this.releases.execute(() -> {
			try {
				this.client.release(held.id(), this.node);
				boolean usedAgain;
				synchronized (this) {
					usedAgain = this.users.containsKey(held.id());
				}
				// A new endpoint took the identity while the release was under way: take
				// the node's reference again (allocation is idempotent).
				if (usedAgain) {
					this.client.allocate(held.labels(), this.node);
				}
			}
			catch (IdentityClientException ex) {
				logger.warn("reference of node {} to identity {} not released: {}", this.node, held.id(),
						ex.getMessage());
			}
		});
	}

	private record Held(long id, Labels labels) {
	}

}
