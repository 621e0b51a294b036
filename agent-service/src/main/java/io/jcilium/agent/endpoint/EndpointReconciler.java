package io.jcilium.agent.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.jcilium.common.identity.NumericIdentity;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one endpoint up to date, level-triggered: reads the pod's labels, resolves the
 * identity when they changed, regenerates the datapath, and says whether to retry. While
 * a dependency is missing the endpoint waits in {@code waiting-for-identity} with a
 * reason naming it; a running endpoint keeps its old identity in the datapath until a new
 * one is resolved (upstream does the same), so an outage never cuts a pod off.
 */
final class EndpointReconciler {

	private static final Logger logger = LoggerFactory.getLogger(EndpointReconciler.class);

	private final PodMetadataSource pods;

	private final IdentityResolver identities;

	private final EndpointDatapath datapath;

	private final EndpointStateFiles stateFiles;

	private final EndpointEvents events;

	private final LifecycleTimings timings;

	private final PolicyReadiness policy;

	EndpointReconciler(PodMetadataSource pods, IdentityResolver identities, EndpointDatapath datapath,
			EndpointStateFiles stateFiles, EndpointEvents events, LifecycleTimings timings, PolicyReadiness policy) {
		this.pods = pods;
		this.policy = policy;
		this.identities = identities;
		this.datapath = datapath;
		this.stateFiles = stateFiles;
		this.events = events;
		this.timings = timings;
	}

	/**
	 * @return whether to try again later (a dependency is missing or the datapath failed)
	 */
	boolean reconcile(Endpoint endpoint) {
		List<EndpointStatus> changes = new ArrayList<>();
		EndpointWork work = endpoint.work;
		boolean retry;
		boolean ready;
		RuntimeException failure;
		work.lock.lock();
		try {
			if (work.removed || work.settingUp) {
				return false;
			}
			retry = converge(endpoint, changes);
			ready = endpoint.state() == EndpointState.READY;
			failure = work.datapathFailure;
			work.datapathFailure = null;
		}
		finally {
			work.lock.unlock();
		}
		changes.forEach(this.events::changed);
		// Only now, so a CNI ADD answers after the listeners know the endpoint is ready.
		if (ready && work.firstReady.complete(null) && work.createdNanos != 0) {
			this.timings.addToReady(System.nanoTime() - work.createdNanos);
		}
		else if (failure != null) {
			work.firstReady.completeExceptionally(failure);
		}
		return retry;
	}

	private boolean converge(Endpoint endpoint, List<EndpointStatus> changes) {
		EndpointWork work = endpoint.work;
		work.timeline.step("waiting for a worker");
		if (work.regenerationRequested) {
			work.regenerationRequested = false;
			work.regenerationNeeded = true;
		}
		Optional<Labels> labels = currentLabels(endpoint);
		if (labels.isEmpty()) {
			move(endpoint, EndpointState.WAITING_FOR_IDENTITY, "pod " + endpoint.podNamespace() + "/"
					+ endpoint.podName() + " not yet seen from the API server; retrying" + meanwhile(endpoint),
					changes);
			return true;
		}
		if (!work.labelsKnown || !labels.get().equals(endpoint.securityLabels())) {
			work.labelsKnown = true;
			work.identityStale = true;
			endpoint.securityLabels(labels.get());
		}
		if (work.identityStale && !resolveIdentity(endpoint, changes)) {
			return true;
		}
		if (!work.regenerationNeeded && endpoint.state() == EndpointState.READY) {
			return false;
		}
		return !regenerate(endpoint, changes);
	}

	/**
	 * The pod's security labels now: from the API server when it knows the pod, else the
	 * ones already known (restored), else none yet. Outside Kubernetes (no pod name) an
	 * endpoint has no labels to wait for.
	 */
	private Optional<Labels> currentLabels(Endpoint endpoint) {
		if (endpoint.podName() == null || endpoint.podNamespace() == null) {
			return Optional.of(Labels.empty());
		}
		Optional<PodMetadata> metadata = this.pods.find(endpoint.podNamespace(), endpoint.podName());
		if (metadata.isPresent() && !metadata.get().namedPorts().equals(endpoint.namedPorts())) {
			// Named ports change the endpoint's policy (ports named in rules), not its
			// identity.
			endpoint.namedPorts(metadata.get().namedPorts());
			endpoint.work.regenerationNeeded = true;
		}
		Optional<Labels> fromApiServer = metadata.map(PodMetadata::securityLabels);
		if (fromApiServer.isPresent() || !endpoint.work.labelsKnown) {
			return fromApiServer;
		}
		return Optional.of(endpoint.securityLabels());
	}

	private boolean resolveIdentity(Endpoint endpoint, List<EndpointStatus> changes) {
		long resolved;
		try {
			resolved = this.identities.resolve(endpoint);
			endpoint.work.timeline.step("identity");
		}
		catch (RuntimeException ex) {
			endpoint.work.timeline.step("identity failed");
			move(endpoint, EndpointState.WAITING_FOR_IDENTITY, "resolving the identity of " + endpoint.securityLabels()
					+ " failed: " + ex.getMessage() + "; retrying" + meanwhile(endpoint), changes);
			return false;
		}
		long previous = endpoint.identity();
		boolean previousHeld = endpoint.work.identityHeld;
		endpoint.work.identityStale = false;
		endpoint.work.identityHeld = true;
		if (previous != resolved) {
			endpoint.work.regenerationNeeded = true;
		}
		// Identity and state change together: nobody sees the new identity as "ready"
		// before the datapath carries it.
		synchronized (endpoint) {
			endpoint.identity(resolved);
			if (endpoint.work.regenerationNeeded) {
				move(endpoint, EndpointState.WAITING_TO_REGENERATE, "identity " + resolved + " resolved", changes);
			}
		}
		if (previousHeld) {
			// Every resolve takes a reference, also one answering the same identity.
			releaseQuietly(endpoint, previous);
		}
		this.stateFiles.write(endpoint);
		endpoint.work.timeline.step("state file with identity");
		return true;
	}

	/**
	 * @return whether the datapath is up to date
	 */
	private boolean regenerate(Endpoint endpoint, List<EndpointStatus> changes) {
		// The readiness rule: no endpoint becomes ready with policy computed from part of
		// the cluster's rules or identities; a running one keeps its programs and policy.
		Optional<String> awaited = this.policy.awaited();
		if (awaited.isPresent()) {
			move(endpoint, EndpointState.WAITING_TO_REGENERATE, awaited.get() + "; retrying", changes);
			return false;
		}
		if (endpoint.state() != EndpointState.WAITING_TO_REGENERATE) {
			move(endpoint, EndpointState.WAITING_TO_REGENERATE, "regeneration queued", changes);
		}
		move(endpoint, EndpointState.REGENERATING, "regenerating with identity " + endpoint.identity(), changes);
		long startNanos = System.nanoTime();
		try {
			this.datapath.regenerate(endpoint);
		}
		catch (RegenerationDeferredException ex) {
			move(endpoint, EndpointState.WAITING_TO_REGENERATE, ex.getMessage() + "; retrying", changes);
			return false;
		}
		catch (RuntimeException ex) {
			move(endpoint, EndpointState.NOT_READY, "regenerating the datapath failed: " + ex.getMessage(), changes);
			endpoint.work.datapathFailure = ex;
			return false;
		}
		this.timings.regenerated(System.nanoTime() - startNanos);
		endpoint.work.timeline.step("regeneration");
		endpoint.work.regenerationNeeded = false;
		move(endpoint, EndpointState.READY, "datapath regenerated with identity " + endpoint.identity(), changes);
		return true;
	}

	/**
	 * Gives back a reference to an identity; a reserved one (init, which the guard sets
	 * without resolving it) is nobody's to release.
	 */
	void releaseQuietly(Endpoint endpoint, long identity) {
		if (NumericIdentity.isInReservedRange(identity)) {
			return;
		}
		try {
			this.identities.release(identity);
		}
		catch (RuntimeException ex) {
			logger.warn("endpoint {}: releasing its previous identity {} failed: {}", endpoint.id(), identity,
					ex.getMessage());
		}
	}

	/** What the datapath does for the endpoint while it waits for its identity. */
	private static String meanwhile(Endpoint endpoint) {
		long identity = endpoint.identity();
		if (identity == ReservedIdentity.INIT.id()) {
			return "; traffic dropped (init identity) until its identity is resolved";
		}
		return (identity != 0) ? "; the datapath keeps identity " + identity : "";
	}

	private static void move(Endpoint endpoint, EndpointState state, String reason, List<EndpointStatus> changes) {
		if (endpoint.state() == state && reason.equals(endpoint.stateReason())) {
			return;
		}
		endpoint.moveTo(state, reason);
		changes.add(endpoint.status());
	}

}
