package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.jcilium.agent.endpoint.EndpointCreationException.Stage;
import io.jcilium.agent.link.LinkOperations;
import io.jcilium.agent.link.MacAddresses;
import io.jcilium.agent.link.PodLinkSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CNI ADD: address, endpoint id, veth and state file synchronously (undone when any
 * fails, so a failed ADD leaks nothing), then hands the endpoint to the regeneration
 * workers and waits for {@code ready} up to the sync timeout. A first regeneration that
 * fails while ADD waits fails the ADD, so the runtime retries the pod.
 */
final class EndpointCreator {

	private static final Logger logger = LoggerFactory.getLogger(EndpointCreator.class);

	private final EndpointTable table;

	private final LinkOperations links;

	private final PersistentPodIps ips;

	private final EndpointStateFiles stateFiles;

	private final EndpointEvents events;

	private final RegenerationQueue queue;

	private final long syncTimeoutMillis;

	EndpointCreator(EndpointTable table, LinkOperations links, PersistentPodIps ips, EndpointStateFiles stateFiles,
			EndpointEvents events, RegenerationQueue queue, Duration syncTimeout) {
		this.table = table;
		this.links = links;
		this.ips = ips;
		this.stateFiles = stateFiles;
		this.events = events;
		this.queue = queue;
		this.syncTimeoutMillis = syncTimeout.toMillis();
	}

	Endpoint add(EndpointRequest request) {
		String key = EndpointTable.key(request.containerId(), request.podIfName());
		Endpoint endpoint;
		synchronized (this.table.lockFor(key)) {
			Endpoint existing = this.table.get(key);
			if (existing != null) {
				return existing;
			}
			endpoint = create(key, request);
		}
		this.events.changed(endpoint.status());
		this.queue.trigger(endpoint);
		return awaitReady(key, endpoint);
	}

	private Endpoint create(String key, EndpointRequest request) {
		InetAddress ip;
		try {
			ip = this.ips.allocate(request.containerId(), request.podIfName(), request.requestedIp());
		}
		catch (RuntimeException ex) {
			throw new EndpointCreationException(Stage.IP_ALLOCATION, ex.getMessage(), ex);
		}
		Endpoint endpoint;
		try {
			endpoint = new Endpoint(this.table.ids().allocate(), request,
					EndpointManager.hostIfName(request.containerId(), request.podIfName()), ip);
		}
		catch (RuntimeException ex) {
			this.ips.release(request.containerId(), request.podIfName());
			throw ex;
		}
		this.table.put(key, endpoint);
		Stage stage = Stage.LINK;
		try {
			endpoint.linked(this.links.createPodLink(new PodLinkSpec(endpoint.hostIfName(), request.podIfName(),
					request.netnsPath(), ip, MacAddresses.random(), MacAddresses.random())));
			stage = Stage.STATE;
			this.stateFiles.write(endpoint);
			return endpoint;
		}
		catch (RuntimeException ex) {
			// Never announced to the listeners, so no removal is announced either.
			Failure failure = tearDown(key, endpoint, stage, ex);
			throw failure.exception();
		}
	}

	private Endpoint awaitReady(String key, Endpoint endpoint) {
		try {
			endpoint.work.firstReady.get(this.syncTimeoutMillis, TimeUnit.MILLISECONDS);
			logger.info("endpoint {} ready: {} {} on {}", endpoint.id(), endpoint.containerId(),
					endpoint.ip().getHostAddress(), endpoint.hostIfName());
		}
		catch (TimeoutException ex) {
			logger.info("endpoint {} not ready after {} ms, continuing in the background: {} ({})", endpoint.id(),
					this.syncTimeoutMillis, endpoint.state().apiName(), endpoint.stateReason());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (CancellationException ex) {
			throw new EndpointCreationException(Stage.DATAPATH, "endpoint " + endpoint.id() + " of container "
					+ endpoint.containerId() + " was removed before it became ready", ex);
		}
		catch (ExecutionException ex) {
			Failure failure;
			synchronized (this.table.lockFor(key)) {
				failure = (this.table.get(key) == endpoint) ? tearDown(key, endpoint, Stage.DATAPATH, ex.getCause())
						: new Failure(new EndpointCreationException(Stage.DATAPATH, ex.getCause().getMessage(),
								ex.getCause()), null);
			}
			if (failure.removed() != null) {
				this.events.removed(failure.removed());
			}
			throw failure.exception();
		}
		return endpoint;
	}

	/** Tears the endpoint down; the caller holds its key lock. */
	private Failure tearDown(String key, Endpoint endpoint, Stage stage, Throwable cause) {
		String reason = "creating endpoint for container " + endpoint.containerId() + " failed at "
				+ stage.name().toLowerCase().replace('_', ' ') + ": " + cause.getMessage();
		logger.warn(reason);
		EndpointCreationException failure = new EndpointCreationException(stage, reason, cause);
		EndpointStatus removed = null;
		try {
			removed = this.table.tearDown(key, endpoint, reason, this.queue);
		}
		catch (RuntimeException cleanup) {
			failure.addSuppressed(cleanup);
		}
		return new Failure(failure, removed);
	}

	/** Why ADD failed, and the last status of the endpoint it removed, if any. */
	private record Failure(EndpointCreationException exception, EndpointStatus removed) {

	}

}
