package io.jcilium.agent.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.engine.PolicyDelta;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's policy: the policy engine plus the policy maps of the local endpoints. Each
 * update goes through the engine, and its delta is applied only to the maps of endpoints
 * whose identity it names; within a map only keys whose verdict changed are written
 * (added and changed keys before removed ones). Thread-safe: updates are serialised, as
 * the engine requires.
 */
public final class AgentPolicy implements PolicyUpdates {

	/** How long regenerations wait for declared inputs at most, as upstream's default. */
	public static final Duration DEFAULT_INPUT_WAIT_LIMIT = Duration.ofMinutes(3);

	private static final Logger logger = LoggerFactory.getLogger(AgentPolicy.class);

	private final PolicyEngine engine;

	private final Object lock = new Object();

	private final Map<Integer, LocalEndpoint> endpoints = new HashMap<>();

	private final Map<Long, IdentityPolicy> identities = new HashMap<>();

	private final Map<Long, List<NamedPort>> namedPorts = new HashMap<>();

	private final LongAdder mapWrites = new LongAdder();

	private final Timer implementationDelay;

	private final Map<String, BooleanSupplier> inputs = new ConcurrentHashMap<>();

	private final long inputWaitLimitNanos;

	private final long createdNanos = System.nanoTime();

	private volatile boolean inputsSynced;

	/**
	 * A policy cell.
	 * @param engine the engine (owned from now on)
	 * @param registry where its metrics go
	 */
	public AgentPolicy(PolicyEngine engine, MeterRegistry registry) {
		this(engine, registry, DEFAULT_INPUT_WAIT_LIMIT);
	}

	/**
	 * A policy cell.
	 * @param engine the engine (owned from now on)
	 * @param registry where its metrics go
	 * @param inputWaitLimit how long after start regenerations wait for declared inputs
	 * ({@link #expectInput}) before going ahead without them, as upstream's
	 * {@code k8s-sync-timeout}
	 */
	public AgentPolicy(PolicyEngine engine, MeterRegistry registry, Duration inputWaitLimit) {
		this.engine = engine;
		this.inputWaitLimitNanos = inputWaitLimit.toNanos();
		FunctionCounter.builder("jcilium_policy_map_writes", this.mapWrites, LongAdder::sum)
			.description("Keys written to or deleted from endpoint policy maps")
			.register(registry);
		this.implementationDelay = Timer.builder("cilium_policy_implementation_delay")
			.description("Time from a policy or identity update to the endpoint policy maps written")
			.publishPercentiles(0.5, 0.99)
			.register(registry);
	}

	@Override
	public void expectInput(String name, BooleanSupplier synced) {
		this.inputs.put(name, synced);
	}

	/**
	 * Fails while a declared input has not delivered its initial state, so that no
	 * endpoint's policy is computed from part of the cluster's rules or identities.
	 * @throws IllegalStateException naming the inputs still awaited
	 */
	public void requireInputsSynced() {
		if (this.inputsSynced) {
			return;
		}
		List<String> waiting = this.inputs.entrySet()
			.stream()
			.filter((input) -> !input.getValue().getAsBoolean())
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
		if (waiting.isEmpty()) {
			this.inputsSynced = true;
			logger.info("policy inputs synced ({}); endpoints get their computed policy", this.inputs.keySet());
			return;
		}
		if (System.nanoTime() - this.createdNanos > this.inputWaitLimitNanos) {
			this.inputsSynced = true;
			logger.warn("policy inputs still not synced after {} s ({}); computing policy without them",
					this.inputWaitLimitNanos / 1_000_000_000L, waiting);
			return;
		}
		throw new IllegalStateException("waiting for " + String.join(" and ", waiting)
				+ " to sync before computing policy; the datapath keeps its current programs and policy");
	}

	@Override
	public void upsertPolicy(PolicyObject policy) {
		update(() -> this.engine.upsertPolicy(policy));
	}

	@Override
	public void removePolicy(String key) {
		update(() -> this.engine.removePolicy(key));
	}

	@Override
	public void upsertIdentity(Identity identity) {
		update(() -> this.engine.upsertIdentity(identity));
	}

	@Override
	public void removeIdentity(long id) {
		update(() -> this.engine.removeIdentity(id));
	}

	/**
	 * Registers (or moves) a local endpoint and brings its map in line with its
	 * identity's policy, writing only the keys that differ from what the map holds (a map
	 * pinned by an earlier run keeps its entries).
	 * @param endpointId the endpoint id
	 * @param identity its security identity
	 * @param labels the identity's labels, used if the identity is not known yet
	 * @param map its policy map
	 */
	public void attach(int endpointId, long identity, Labels labels, EndpointPolicyMap map) {
		attach(endpointId, identity, labels, List.of(), map);
	}

	/**
	 * Registers (or moves) a local endpoint, as
	 * {@link #attach(int, long, Labels, EndpointPolicyMap)}, with the named container
	 * ports that rules naming ports resolve against (per identity, as the engine keeps
	 * them).
	 * @param endpointId the endpoint id
	 * @param identity its security identity
	 * @param labels the identity's labels, used if the identity is not known yet
	 * @param namedPorts the pod's named container ports
	 * @param map its policy map
	 */
	public void attach(int endpointId, long identity, Labels labels, List<NamedPort> namedPorts,
			EndpointPolicyMap map) {
		if (identity <= 0) {
			throw new IllegalArgumentException("endpoint " + endpointId + " has no identity yet");
		}
		synchronized (this.lock) {
			if (this.engine.selectorCache().identity(identity) == null) {
				apply(this.engine.upsertIdentity(Identity.of(identity, labels)));
			}
			if (!this.identities.containsKey(identity)) {
				PolicyDelta delta = this.engine.upsertEndpoint(identity, namedPorts);
				this.identities.put(identity, IdentityPolicy.of(this.engine.policy(identity)));
				this.namedPorts.put(identity, List.copyOf(namedPorts));
				apply(delta);
			}
			else if (!namedPorts.isEmpty() && !namedPorts.equals(this.namedPorts.get(identity))) {
				this.namedPorts.put(identity, List.copyOf(namedPorts));
				apply(this.engine.upsertEndpoint(identity, namedPorts));
			}
			LocalEndpoint previous = this.endpoints.get(endpointId);
			LocalEndpoint endpoint = previous;
			if (previous == null || previous.map != map) {
				// a new handle (first attach, reloaded program, restarted agent): learn
				// what the map holds, so only differences are written
				endpoint = new LocalEndpoint(endpointId, map, new HashMap<>(map.read()));
				endpoint.writes = (previous != null) ? previous.writes : 0;
			}
			long previousIdentity = (previous != null) ? previous.identity : 0;
			endpoint.identity = identity;
			this.endpoints.put(endpointId, endpoint);
			sync(endpoint, this.identities.get(identity).desired());
			if (previousIdentity != 0 && previousIdentity != identity) {
				release(previousIdentity);
			}
		}
	}

	/**
	 * Stops writing to an endpoint's map because its handle is about to be closed (the
	 * agent stops, or a program swap failed); the endpoint keeps its identity, and the
	 * next {@link #attach} reads the map again. Idempotent.
	 * @param endpointId the endpoint id
	 */
	public void dropMap(int endpointId) {
		synchronized (this.lock) {
			LocalEndpoint endpoint = this.endpoints.get(endpointId);
			if (endpoint != null) {
				LocalEndpoint without = new LocalEndpoint(endpointId, null, new HashMap<>());
				without.identity = endpoint.identity;
				without.writes = endpoint.writes;
				this.endpoints.put(endpointId, without);
			}
		}
	}

	/**
	 * Forgets a local endpoint (its map is the datapath's to remove); idempotent.
	 * @param endpointId the endpoint id
	 */
	public void detach(int endpointId) {
		synchronized (this.lock) {
			LocalEndpoint endpoint = this.endpoints.remove(endpointId);
			if (endpoint != null) {
				release(endpoint.identity);
			}
		}
	}

	/**
	 * Keys written to or deleted from one endpoint's map since it was attached.
	 * @param endpointId the endpoint id
	 * @return the count, 0 for an unknown endpoint
	 */
	public long mapWrites(int endpointId) {
		synchronized (this.lock) {
			LocalEndpoint endpoint = this.endpoints.get(endpointId);
			return (endpoint != null) ? endpoint.writes : 0;
		}
	}

	/**
	 * The policy the engine computed for a local identity (console and tests).
	 * @param identity the identity
	 * @return its policy, or null if no local endpoint has it
	 */
	public EndpointPolicy policy(long identity) {
		synchronized (this.lock) {
			return this.engine.policy(identity);
		}
	}

	private void update(Supplier<PolicyDelta> change) {
		long start = System.nanoTime();
		synchronized (this.lock) {
			apply(change.get());
		}
		this.implementationDelay.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
	}

	private void apply(PolicyDelta delta) {
		for (PolicyDelta.EndpointChange change : delta.changes()) {
			IdentityPolicy policy = this.identities.get(change.identity());
			if (policy == null) {
				continue;
			}
			policy.apply(change);
			Map<PolicyKey, Boolean> desired = policy.desired();
			for (LocalEndpoint endpoint : this.endpoints.values()) {
				if (endpoint.identity == change.identity()) {
					sync(endpoint, desired);
				}
			}
		}
	}

	private void release(long identity) {
		for (LocalEndpoint endpoint : this.endpoints.values()) {
			if (endpoint.identity == identity) {
				return;
			}
		}
		this.identities.remove(identity);
		this.namedPorts.remove(identity);
		apply(this.engine.removeEndpoint(identity));
	}

	private void sync(LocalEndpoint endpoint, Map<PolicyKey, Boolean> desired) {
		if (endpoint.map == null) {
			return;
		}
		Map<PolicyKey, Boolean> upserts = new HashMap<>();
		desired.forEach((key, deny) -> {
			if (!deny.equals(endpoint.written.get(key))) {
				upserts.put(key, deny);
			}
		});
		List<PolicyKey> deletes = new ArrayList<>();
		for (PolicyKey key : endpoint.written.keySet()) {
			if (!desired.containsKey(key)) {
				deletes.add(key);
			}
		}
		if (upserts.isEmpty() && deletes.isEmpty()) {
			return;
		}
		try {
			endpoint.map.write(upserts, deletes);
			endpoint.written.putAll(upserts);
			deletes.forEach(endpoint.written::remove);
		}
		catch (RuntimeException ex) {
			// what made it into the map is unknown now: learn it again for the next sync
			endpoint.written = new HashMap<>(endpoint.map.read());
			throw ex;
		}
		int writes = upserts.size() + deletes.size();
		endpoint.writes += writes;
		this.mapWrites.add(writes);
	}

	/** A local endpoint: its map and what this process knows is in it. */
	private static final class LocalEndpoint {

		final int id;

		final EndpointPolicyMap map;

		Map<PolicyKey, Boolean> written;

		long identity;

		long writes;

		LocalEndpoint(int id, EndpointPolicyMap map, Map<PolicyKey, Boolean> written) {
			this.id = id;
			this.map = map;
			this.written = written;
		}

		@Override
		public String toString() {
			return "endpoint " + this.id;
		}

	}

}
