package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.jcilium.agent.endpoint.EndpointCreationException.Stage;
import io.jcilium.agent.link.LinkOperations;
import io.jcilium.agent.link.MacAddresses;
import io.jcilium.agent.link.PodLinkSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and removes endpoints: address, veth, identity, datapath, in that order, and
 * undoes the finished steps when a later one fails, so a failed CNI ADD leaks nothing.
 * Calls for the same container interface are serialized; different pods proceed in
 * parallel.
 */
public final class EndpointManager {

	private static final Logger logger = LoggerFactory.getLogger(EndpointManager.class);

	/** Upstream endpoint ids are 16 bit, and ids above 4095 are reserved for the host. */
	static final int MAX_ENDPOINT_ID = 4095;

	private final LinkOperations links;

	private final PersistentPodIps ips;

	private final IdentityResolver identities;

	private final EndpointDatapath datapath;

	private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

	private final Map<String, Object> keyLocks = new ConcurrentHashMap<>();

	private final BitSet usedIds = new BitSet();

	public EndpointManager(LinkOperations links, PersistentPodIps ips, IdentityResolver identities,
			EndpointDatapath datapath) {
		this.links = links;
		this.ips = ips;
		this.identities = identities;
		this.datapath = datapath;
	}

	/**
	 * Creates the endpoint and returns it in state {@code ready}. A repeated ADD for an
	 * existing endpoint returns it unchanged.
	 * @throws EndpointCreationException naming the failed step; nothing is left behind
	 */
	public Endpoint add(EndpointRequest request) {
		String key = key(request.containerId(), request.podIfName());
		synchronized (lockFor(key)) {
			Endpoint existing = this.endpoints.get(key);
			if (existing != null) {
				return existing;
			}
			long startNanos = System.nanoTime();
			InetAddress ip;
			try {
				ip = this.ips.allocate(request.containerId(), request.requestedIp());
			}
			catch (RuntimeException ex) {
				throw new EndpointCreationException(Stage.IP_ALLOCATION, ex.getMessage(), ex);
			}
			int id;
			try {
				id = allocateId();
			}
			catch (RuntimeException ex) {
				this.ips.release(request.containerId());
				throw ex;
			}
			Endpoint endpoint = new Endpoint(id, request, hostIfName(request.containerId(), request.podIfName()), ip);
			this.endpoints.put(key, endpoint);
			Stage stage = Stage.LINK;
			try {
				long linkNanos = System.nanoTime();
				endpoint.linked(this.links.createPodLink(new PodLinkSpec(endpoint.hostIfName(), request.podIfName(),
						request.netnsPath(), ip, MacAddresses.random(), MacAddresses.random())));
				linkNanos = System.nanoTime() - linkNanos;
				stage = Stage.IDENTITY;
				endpoint.identity(this.identities.resolve(endpoint));
				endpoint.moveTo(EndpointState.WAITING_TO_REGENERATE, "identity " + endpoint.identity() + " resolved");
				stage = Stage.DATAPATH;
				endpoint.moveTo(EndpointState.REGENERATING, "initial regeneration");
				this.datapath.regenerate(endpoint);
				endpoint.moveTo(EndpointState.READY, "datapath regenerated");
				logger.info("endpoint {} ready in {} ms (links {} ms): {} {} on {}", endpoint.id(),
						(System.nanoTime() - startNanos) / 1_000_000, linkNanos / 1_000_000, request.containerId(),
						ip.getHostAddress(), endpoint.hostIfName());
				return endpoint;
			}
			catch (RuntimeException ex) {
				String reason = "creating endpoint for container " + request.containerId() + " failed at "
						+ stage.name().toLowerCase().replace('_', ' ') + ": " + ex.getMessage();
				logger.warn(reason);
				EndpointCreationException failure = new EndpointCreationException(stage, reason, ex);
				try {
					tearDown(key, endpoint, reason);
				}
				catch (RuntimeException cleanup) {
					failure.addSuppressed(cleanup);
				}
				throw failure;
			}
		}
	}

	/**
	 * Removes the endpoint of a container interface and frees its address. Succeeds also
	 * when the agent knows no such endpoint (a DEL after a failed ADD, or repeated): the
	 * derived veth name and the container's address are cleaned up anyway.
	 */
	public void delete(String containerId, String podIfName) {
		String key = key(containerId, podIfName);
		synchronized (lockFor(key)) {
			Endpoint endpoint = this.endpoints.get(key);
			if (endpoint != null) {
				tearDown(key, endpoint, "CNI DEL");
			}
			else {
				this.links.deletePodLink(hostIfName(containerId, podIfName));
				this.ips.release(containerId);
			}
		}
		this.keyLocks.remove(key);
	}

	/** The endpoint of a container interface, if this agent manages one. */
	public Optional<Endpoint> find(String containerId, String podIfName) {
		return Optional.ofNullable(this.endpoints.get(key(containerId, podIfName)));
	}

	/** Every endpoint, ordered by id. */
	public List<EndpointStatus> list() {
		return this.endpoints.values()
			.stream()
			.map(Endpoint::status)
			.sorted(Comparator.comparingInt(EndpointStatus::id))
			.toList();
	}

	/** How many endpoints are in {@code state} now. */
	public long count(EndpointState state) {
		return this.endpoints.values().stream().filter((endpoint) -> endpoint.state() == state).count();
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

	private void tearDown(String key, Endpoint endpoint, String reason) {
		if (endpoint.state() != EndpointState.DISCONNECTING) {
			endpoint.moveTo(EndpointState.DISCONNECTING, reason);
		}
		this.datapath.remove(endpoint);
		this.links.deletePodLink(endpoint.hostIfName());
		this.ips.release(endpoint.containerId());
		endpoint.moveTo(EndpointState.DISCONNECTED, reason);
		this.endpoints.remove(key);
		releaseId(endpoint.id());
	}

	private Object lockFor(String key) {
		return this.keyLocks.computeIfAbsent(key, (k) -> new Object());
	}

	private synchronized int allocateId() {
		int id = this.usedIds.nextClearBit(1);
		if (id > MAX_ENDPOINT_ID) {
			throw new EndpointCreationException(Stage.IP_ALLOCATION,
					"all " + MAX_ENDPOINT_ID + " endpoint ids of this node are in use", null);
		}
		this.usedIds.set(id);
		return id;
	}

	private synchronized void releaseId(int id) {
		this.usedIds.clear(id);
	}

	private static String key(String containerId, String podIfName) {
		return containerId + "/" + podIfName;
	}

}
