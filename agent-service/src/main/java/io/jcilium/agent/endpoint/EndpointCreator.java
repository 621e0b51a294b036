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
import io.jcilium.common.identity.ReservedIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CNI ADD: address, endpoint id, veth, the guard (bpf_lxc with upstream's init identity,
 * so the pod's first packet already meets policy) and state file synchronously (undone
 * when any fails, so a failed ADD leaks nothing), then hands the endpoint to the
 * regeneration workers and waits for {@code ready} up to the sync timeout. ADD succeeds
 * only for a {@code ready} endpoint: a first regeneration that fails, or a sync timeout
 * that passes, tears the endpoint down and fails the ADD, so the runtime retries the pod.
 */
final class EndpointCreator {

	private static final Logger logger = LoggerFactory.getLogger(EndpointCreator.class);

	private final EndpointTable table;

	private final LinkOperations links;

	private final PersistentPodIps ips;

	private final EndpointStateFiles stateFiles;

	private final EndpointEvents events;

	private final RegenerationQueue queue;

	private final EndpointDatapath datapath;

	private final PolicyReadiness policy;

	private final SetupSlots setupSlots;

	private final long syncTimeoutMillis;

	EndpointCreator(EndpointTable table, LinkOperations links, PersistentPodIps ips, EndpointStateFiles stateFiles,
			EndpointEvents events, RegenerationQueue queue, EndpointDatapath datapath, PolicyReadiness policy,
			SetupSlots setupSlots, Duration syncTimeout) {
		this.table = table;
		this.setupSlots = setupSlots;
		this.links = links;
		this.datapath = datapath;
		this.policy = policy;
		this.ips = ips;
		this.stateFiles = stateFiles;
		this.events = events;
		this.queue = queue;
		this.syncTimeoutMillis = syncTimeout.toMillis();
	}

	Endpoint add(EndpointRequest request) {
		String key = EndpointTable.key(request.containerId(), request.podIfName());
		AddTimeline timeline = AddTimeline.start();
		Endpoint endpoint;
		synchronized (this.table.lockFor(key)) {
			Endpoint existing = this.table.get(key);
			if (existing != null) {
				return awaitReady(key, existing);
			}
			endpoint = create(key, request, timeline);
		}
		this.events.changed(endpoint.status());
		this.queue.trigger(endpoint);
		return awaitReady(key, endpoint);
	}

	private Endpoint create(String key, EndpointRequest request, AddTimeline timeline) {
		InetAddress ip;
		try {
			ip = this.ips.allocate(request.containerId(), request.podIfName(), request.requestedIp(),
					request.podNamespace(), request.podName());
		}
		catch (RuntimeException ex) {
			throw new EndpointCreationException(Stage.IP_ALLOCATION, ex.getMessage(), ex);
		}
		timeline.step("address");
		Endpoint endpoint;
		try {
			endpoint = new Endpoint(this.table.ids().allocate(), request,
					EndpointManager.hostIfName(request.containerId(), request.podIfName()), ip);
		}
		catch (RuntimeException ex) {
			this.ips.release(request.containerId(), request.podIfName());
			throw ex;
		}
		endpoint.work.timeline = timeline;
		endpoint.work.settingUp = true;
		this.table.put(key, endpoint);
		Stage stage = Stage.LINK;
		try {
			// The veth and the guard keep a core busy: a burst runs them a few at a time.
			acquireSetupSlot();
			try {
				timeline.step("waiting to set up");
				endpoint.linked(this.links.createPodLink(new PodLinkSpec(endpoint.hostIfName(), request.podIfName(),
						request.netnsPath(), ip, MacAddresses.random(), MacAddresses.random())));
				timeline.step("veth");
				stage = Stage.DATAPATH;
				guard(endpoint);
				timeline.step("guard");
			}
			finally {
				this.setupSlots.release();
			}
			stage = Stage.STATE;
			this.stateFiles.write(endpoint);
			timeline.step("state file");
			settingUpDone(endpoint);
			return endpoint;
		}
		catch (RuntimeException ex) {
			// Never announced to the listeners, so no removal is announced either.
			Failure failure = tearDown(key, endpoint, stage, ex);
			throw failure.exception();
		}
	}

	/** From now on the regeneration workers may reconcile the endpoint. */
	private static void settingUpDone(Endpoint endpoint) {
		endpoint.work.lock.lock();
		try {
			endpoint.work.settingUp = false;
		}
		finally {
			endpoint.work.lock.unlock();
		}
	}

	/** One of the set-up slots (about one per core), in arrival order. */
	private void acquireSetupSlot() {
		try {
			this.setupSlots.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for a set-up slot", ex);
		}
	}

	private Endpoint awaitReady(String key, Endpoint endpoint) {
		try {
			endpoint.work.firstReady.get(this.syncTimeoutMillis, TimeUnit.MILLISECONDS);
			// The last step: from ready until the ADD's thread runs again.
			logger.info("endpoint {} ready: {} {} on {}; ADD to ready {}", endpoint.id(), endpoint.containerId(),
					endpoint.ip().getHostAddress(), endpoint.hostIfName(), endpoint.work.timeline.finish("answer"));
		}
		catch (TimeoutException ex) {
			return notReadyInTime(key, endpoint);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EndpointCreationException(Stage.SYNC_TIMEOUT, "interrupted while endpoint " + endpoint.id()
					+ " of container " + endpoint.containerId() + " was waiting to become ready", ex);
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

	/**
	 * Held at the init identity before anything can run in the pod: from its first packet
	 * on, the pod meets policy (nothing allowed but what rules for {@code reserved:init}
	 * allow, or nothing while the policy inputs have not synced).
	 */
	private void guard(Endpoint endpoint) {
		boolean synced = this.policy.awaited().isEmpty();
		this.datapath.guard(endpoint, synced);
		endpoint.identity(ReservedIdentity.INIT.id());
		endpoint.moveTo(EndpointState.WAITING_FOR_IDENTITY,
				"traffic dropped (init identity)" + (synced ? "" : ", policy map empty until the policy inputs sync")
						+ " until its identity is resolved");
	}

	/**
	 * The sync timeout passed and the endpoint is still not {@code ready}: an ADD that
	 * succeeded now would start a pod nothing enforces its own policy on, so the endpoint
	 * is torn down and the runtime told to try again later (it calls DEL, then ADD).
	 */
	private Endpoint notReadyInTime(String key, Endpoint endpoint) {
		Failure failure;
		synchronized (this.table.lockFor(key)) {
			if (endpoint.state() == EndpointState.READY) {
				return endpoint;
			}
			String reason = "endpoint " + endpoint.id() + " of container " + endpoint.containerId()
					+ " is not ready after " + this.syncTimeoutMillis + " ms (" + endpoint.state().apiName() + ": "
					+ endpoint.stateReason() + "); removed, try again later";
			logger.warn(reason);
			EndpointCreationException timedOut = new EndpointCreationException(Stage.SYNC_TIMEOUT, reason, null);
			failure = (this.table.get(key) == endpoint) ? tearDown(key, endpoint, timedOut)
					: new Failure(timedOut, null);
		}
		if (failure.removed() != null) {
			this.events.removed(failure.removed());
		}
		throw failure.exception();
	}

	/** Tears the endpoint down; the caller holds its key lock. */
	private Failure tearDown(String key, Endpoint endpoint, Stage stage, Throwable cause) {
		String reason = "creating endpoint for container " + endpoint.containerId() + " failed at "
				+ stage.name().toLowerCase().replace('_', ' ') + ": " + cause.getMessage();
		logger.warn(reason);
		return tearDown(key, endpoint, new EndpointCreationException(stage, reason, cause));
	}

	/** Tears the endpoint down for {@code failure}; the caller holds its key lock. */
	private Failure tearDown(String key, Endpoint endpoint, EndpointCreationException failure) {
		EndpointStatus removed = null;
		try {
			removed = this.table.tearDown(key, endpoint, failure.getMessage(), this.queue);
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
