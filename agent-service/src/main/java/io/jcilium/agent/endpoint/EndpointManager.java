package io.jcilium.agent.endpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.jcilium.agent.ipam.PodIpOwner;
import io.jcilium.agent.link.LinkOperations;

/**
 * Creates and removes endpoints. CNI ADD allocates the address and creates the veth
 * synchronously (undoing both when either fails, so a failed ADD leaks nothing); identity
 * and datapath follow on the regeneration workers ({@link EndpointReconciler}), and ADD
 * waits for {@code ready} only up to a timeout. Calls for the same container interface
 * are serialized; different pods proceed in parallel.
 */
public final class EndpointManager implements PodMetadataListener, EndpointRegenerations, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EndpointManager.class);

	private final EndpointTable table;

	private final LinkOperations links;

	private final PersistentPodIps ips;

	private final EndpointStateFiles stateFiles;

	private final EndpointEvents events;

	private final LifecycleTimings timings = new LifecycleTimings();

	private final RegenerationQueue queue;

	private final EndpointRestorer restorer;

	private final EndpointCreator creator;

	private final HeldOrphans orphans = new HeldOrphans();

	private final OrphanRelease orphanRelease;

	private final QuarantinedIds quarantinedIds;

	/**
	 * Outside Kubernetes: pods have no labels, nothing is persisted, default timings.
	 */
	public EndpointManager(LinkOperations links, PersistentPodIps ips, IdentityResolver identities,
			EndpointDatapath datapath) {
		this(links, ips, identities, datapath, new UnlabeledPods(), List.of(), EndpointLifecycleSettings.defaults());
	}

	public EndpointManager(LinkOperations links, PersistentPodIps ips, IdentityResolver identities,
			EndpointDatapath datapath, PodMetadataSource pods, List<EndpointListener> listeners,
			EndpointLifecycleSettings settings) {
		this(links, ips, identities, datapath, pods, listeners, settings, PolicyReadiness.READY);
	}

	/**
	 * An endpoint manager whose endpoints become ready only once the policy's inputs have
	 * synced.
	 * @param links the pods' links
	 * @param ips the pod IPs
	 * @param identities resolves identities
	 * @param datapath the endpoints' datapath
	 * @param pods the pods' labels
	 * @param listeners told of every state change
	 * @param settings timeouts, workers, state directory
	 * @param policy whether the policy's inputs have synced
	 */
	public EndpointManager(LinkOperations links, PersistentPodIps ips, IdentityResolver identities,
			EndpointDatapath datapath, PodMetadataSource pods, List<EndpointListener> listeners,
			EndpointLifecycleSettings settings, PolicyReadiness policy) {
		this.links = links;
		this.ips = ips;
		this.stateFiles = new EndpointStateFiles(settings.endpointStateDir());
		this.events = new EndpointEvents(listeners);
		this.table = new EndpointTable(datapath, links, ips, this.stateFiles, identities);
		EndpointReconciler reconciler = new EndpointReconciler(pods, identities, datapath, this.stateFiles, this.events,
				this.timings, policy);
		this.queue = new RegenerationQueue(settings.regenerationWorkers(), settings.retryInitialDelay(),
				settings.retryMaxDelay(), reconciler::reconcile);
		this.orphanRelease = new OrphanRelease(this.table, links, ips);
		this.quarantinedIds = new QuarantinedIds(this.table.ids(), datapath, this::unownedPodLinks);
		this.restorer = new EndpointRestorer(this.table, links, ips, datapath, this.stateFiles, policy, this.orphans,
				this.quarantinedIds);
		this.creator = new EndpointCreator(this.table, links, ips, this.stateFiles, this.events, this.queue, datapath,
				policy, new SetupSlots(settings.concurrentSetups()), settings.addSyncTimeout());
	}

	/**
	 * Restores the endpoints persisted by a previous agent, before any ADD is served:
	 * their ids and addresses are reserved at once, their identity and datapath are
	 * brought up to date in the background. Pods that went away meanwhile are cleaned up.
	 * @return the endpoints restored
	 */
	public List<Endpoint> restore() {
		List<Endpoint> restored = this.restorer.restore();
		for (Endpoint endpoint : restored) {
			this.events.changed(endpoint.status());
			this.queue.trigger(endpoint);
		}
		return restored;
	}

	/**
	 * Creates the endpoint, held at the init identity from its first packet, and waits up
	 * to the sync timeout for it to become ready; an endpoint still not ready then (for
	 * example waiting for its identity) is removed and the ADD fails, so the runtime
	 * retries. A repeated ADD for an existing endpoint waits for it the same way.
	 * @throws EndpointCreationException naming the failed step; nothing is left behind
	 */
	public Endpoint add(EndpointRequest request) {
		return this.creator.add(request);
	}

	/**
	 * Removes the endpoint of a container interface and frees its address. Succeeds also
	 * when the agent knows no such endpoint (a DEL after a failed ADD, or repeated): the
	 * derived veth name and the container's address are cleaned up anyway.
	 */
	public void delete(String containerId, String podIfName) {
		String key = EndpointTable.key(containerId, podIfName);
		EndpointStatus removed = null;
		synchronized (this.table.lockFor(key)) {
			Endpoint endpoint = this.table.get(key);
			if (endpoint != null) {
				removed = this.table.tearDown(key, endpoint, "CNI DEL", this.queue);
			}
			else {
				this.links.deletePodLink(hostIfName(containerId, podIfName));
				this.ips.release(containerId, podIfName);
				this.orphans.forget(new PodIpOwner(containerId, podIfName));
			}
		}
		this.table.forgetLock(key);
		if (removed != null) {
			this.events.removed(removed);
		}
	}

	/**
	 * The pod's labels or its namespace's labels may have changed: its endpoints read
	 * them again and move to a new identity if the security labels differ.
	 */
	@Override
	public void podMetadataChanged(String namespace, String name) {
		for (Endpoint endpoint : this.table.all()) {
			if (Objects.equals(endpoint.podNamespace(), namespace) && Objects.equals(endpoint.podName(), name)) {
				this.queue.trigger(endpoint);
			}
		}
	}

	/**
	 * Regenerates every endpoint's datapath in the background (as upstream's
	 * {@code RegenerateAllEndpoints}), for changes that affect them all; requests that
	 * arrive while one is queued coalesce.
	 */
	public void regenerateAll() {
		for (Endpoint endpoint : this.table.all()) {
			endpoint.work.regenerationRequested = true;
			this.queue.trigger(endpoint);
		}
	}

	@Override
	public void regenerate(int endpointId, String reason) {
		for (Endpoint endpoint : this.table.all()) {
			if (endpoint.id() == endpointId) {
				logger.info("endpoint {}: regenerating, {}", endpointId, reason);
				endpoint.work.regenerationRequested = true;
				this.queue.trigger(endpoint);
			}
		}
	}

	/** The endpoint of a container interface, if this agent manages one. */
	public Optional<Endpoint> find(String containerId, String podIfName) {
		return Optional.ofNullable(this.table.get(EndpointTable.key(containerId, podIfName)));
	}

	/** Every endpoint, ordered by id. */
	public List<EndpointStatus> list() {
		return this.table.all()
			.stream()
			.map(Endpoint::status)
			.sorted(Comparator.comparingInt(EndpointStatus::id))
			.toList();
	}

	/**
	 * Endpoint state files that could not be restored and were moved aside, also by
	 * earlier runs: an operator looks at them, the pods they describe keep their
	 * addresses.
	 */
	public List<QuarantinedStateFile> quarantinedStateFiles() {
		return this.stateFiles.quarantined();
	}

	/**
	 * Addresses and veths of container interfaces with no endpoint, held because their
	 * pod may still run, with why each is held now.
	 */
	public List<HeldOrphan> heldOrphans() {
		return this.orphans.all();
	}

	HeldOrphans orphans() {
		return this.orphans;
	}

	/**
	 * The node's pod veths no endpoint owns. One counted by a race with an ADD or DEL in
	 * progress only keeps the quarantined ids reserved one pass longer.
	 */
	private Set<String> unownedPodLinks() {
		Set<String> unowned = new HashSet<>(this.links.podHostLinks());
		this.table.all().forEach((endpoint) -> unowned.remove(endpoint.hostIfName()));
		return unowned;
	}

	/**
	 * Endpoint ids of quarantined state files, reserved until no orphan is held and no
	 * pod veth is without an endpoint.
	 */
	QuarantinedIds quarantinedIds() {
		return this.quarantinedIds;
	}

	/** Frees held orphans for {@link OrphanReconciler}. */
	OrphanRelease orphanRelease() {
		return this.orphanRelease;
	}

	/** How many endpoints are in {@code state} now. */
	public long count(EndpointState state) {
		return this.table.all().stream().filter((endpoint) -> endpoint.state() == state).count();
	}

	LifecycleTimings timings() {
		return this.timings;
	}

	/**
	 * Stops the background work. Endpoints, veths and the datapath stay: stopping the
	 * agent must not disturb running pods; only CNI DEL removes an endpoint.
	 */
	@Override
	public void close() {
		this.queue.close();
	}

	/**
	 * The node-side veth name: {@code lxc} and a hash of the container interface, so a
	 * DEL finds the link even when the agent has lost the endpoint; 15 characters
	 * (IFNAMSIZ).
	 */
	public static String hostIfName(String containerId, String podIfName) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((containerId + "/" + podIfName).getBytes(StandardCharsets.UTF_8));
			return "lxc" + HexFormat.of().formatHex(digest).substring(0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
