package io.jcilium.agent.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.engine.PolicyDelta;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PolicySource;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.common.policy.trace.PolicyTracer;
import io.jcilium.common.policy.trace.PortProtocol;
import io.jcilium.common.policy.trace.TraceResult;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The agent's policy: the policy engine plus the local endpoints' policy maps. Each
 * update goes through the engine under one lock (the engine is not thread-safe), and its
 * delta is handed, as a delta, to the {@link PolicyMapWriter} for the endpoints whose
 * identity it names: the caller (a Kubernetes watcher's callback thread) never waits for
 * a map write. Whoever needs a change in force waits for its revision.
 */
public final class AgentPolicy implements PolicyUpdates, EndpointPolicies, RealizedPolicies, AutoCloseable {

	private final PolicyEngine engine;

	private final Object lock = new Object();

	/** Guarded by the lock. */
	private final Map<Integer, LocalEndpoint> endpoints = new HashMap<>();

	/** Guarded by the lock: named ports per local identity. */
	private final Map<Long, List<NamedPort>> namedPorts = new HashMap<>();

	private final PolicyMapWriter writer;

	private final PolicyInputSync inputs;

	private final Timer implementationDelay;

	private final List<LongConsumer> changeListeners = new CopyOnWriteArrayList<>();

	/**
	 * A policy cell.
	 * @param engine the engine (owned from now on)
	 * @param registry where its metrics go
	 * @param jobs where its map writer's jobs live
	 * @param inputs the inputs declared through {@link #expectInput}
	 * @param mapFailed told of an endpoint whose map missed a change (the endpoint cell
	 * regenerates it, so the failure shows in its state)
	 */
	public AgentPolicy(PolicyEngine engine, MeterRegistry registry, Jobs jobs, PolicyInputSync inputs,
			BiConsumer<Integer, String> mapFailed) {
		this.engine = engine;
		this.inputs = inputs;
		this.writer = new PolicyMapWriter(jobs, registry, this::resync, mapFailed);
		this.implementationDelay = Timer.builder("cilium_policy_implementation_delay")
			.description("Time from a policy or identity update to the endpoint policy maps written")
			.publishPercentiles(0.5, 0.99)
			.register(registry);
	}

	/**
	 * Tells a listener of every local identity whose policy a rule or identity change
	 * touched (entries or enforcement), after the change is handed to the maps; called on
	 * the updating thread, so it must not block.
	 * @param listener takes the identity
	 */
	public void onPolicyChange(LongConsumer listener) {
		this.changeListeners.add(listener);
	}

	@Override
	public void expectInput(String name, BooleanSupplier synced) {
		this.inputs.expect(name, synced);
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

	@Override
	public void attach(int endpointId, long identity, Labels labels, List<NamedPort> namedPorts,
			EndpointPolicyMap map) {
		if (identity <= 0) {
			throw new IllegalArgumentException("endpoint " + endpointId + " has no identity yet");
		}
		CompletableFuture<Void> written;
		synchronized (this.lock) {
			if (this.engine.selectorCache().identity(identity) == null) {
				handOver(this.engine.upsertIdentity(Identity.of(identity, labels)));
			}
			if (!this.namedPorts.containsKey(identity)) {
				this.namedPorts.put(identity, List.copyOf(namedPorts));
				handOver(this.engine.upsertEndpoint(identity, namedPorts));
			}
			else if (!namedPorts.isEmpty() && !namedPorts.equals(this.namedPorts.get(identity))) {
				this.namedPorts.put(identity, List.copyOf(namedPorts));
				handOver(this.engine.upsertEndpoint(identity, namedPorts));
			}
			LocalEndpoint previous = this.endpoints.put(endpointId, new LocalEndpoint(identity, map));
			// Queued under the lock: every delta after this snapshot is queued after it.
			written = this.writer.replace(endpointId, map, this.engine.policy(identity));
			if (previous != null && previous.identity != identity) {
				release(previous.identity);
			}
			this.writer.handedOver();
		}
		SerialWorker.await(written);
	}

	@Override
	public void dropMap(int endpointId) {
		synchronized (this.lock) {
			LocalEndpoint endpoint = this.endpoints.get(endpointId);
			if (endpoint != null) {
				this.endpoints.put(endpointId, new LocalEndpoint(endpoint.identity, null));
			}
		}
		this.writer.drop(endpointId, false);
	}

	@Override
	public void detach(int endpointId) {
		synchronized (this.lock) {
			LocalEndpoint endpoint = this.endpoints.remove(endpointId);
			if (endpoint != null) {
				release(endpoint.identity);
				this.writer.handedOver();
			}
		}
		this.writer.drop(endpointId, true);
	}

	/**
	 * Keys written to or deleted from one endpoint's map since it was attached, once
	 * every change handed over so far is written.
	 * @param endpointId the endpoint id
	 * @return the count, 0 for an unknown endpoint
	 */
	public long mapWrites(int endpointId) {
		this.writer.awaitQueued();
		return this.writer.writes(endpointId);
	}

	/**
	 * Returns once every policy change handed over so far has reached the maps (or failed
	 * there); for tests and the console, which look at the maps.
	 */
	public void awaitMapsWritten() {
		this.writer.awaitQueued();
	}

	/**
	 * The policy revision, bumped by every change (upstream prints it on
	 * {@code cilium policy import}).
	 * @return the revision of the latest change handed over
	 */
	@Override
	public long revision() {
		return this.writer.revision();
	}

	/**
	 * Completes once every local endpoint's map holds a revision or a later one, maps
	 * being rewritten after a failure included (upstream's {@code cilium policy wait}):
	 * for whoever needs a change in force, not just handed over.
	 * @param revision the revision, from {@link #revision()} after the change
	 * @return completes with the revision; exceptionally if the cell closes first
	 */
	public CompletableFuture<Long> whenRealized(long revision) {
		return this.writer.whenRealized(revision);
	}

	/**
	 * The policy the engine computed for a local identity (console and tests).
	 * @param identity the identity
	 * @return its policy, or null if no local endpoint has it
	 */
	@Override
	public EndpointPolicy policy(long identity) {
		synchronized (this.lock) {
			return this.engine.policy(identity);
		}
	}

	/**
	 * The labels of an identity the engine knows (a peer's, for the tuples a
	 * CiliumEndpoint lists).
	 * @param identity the identity
	 * @return its labels, or null if the engine does not know it
	 */
	public Labels identityLabels(long identity) {
		synchronized (this.lock) {
			Identity known = this.engine.selectorCache().identity(identity);
			return (known != null) ? known.labels() : null;
		}
	}

	@Override
	public List<PolicySource> sources() {
		List<PolicyRule> rules;
		synchronized (this.lock) {
			rules = this.engine.rules();
		}
		return rules.stream()
			.map(PolicyRule::source)
			.map((source) -> new PolicySource(source.kind(), source.namespace(), source.name(), 0, source.uid()))
			.distinct()
			.sorted()
			.toList();
	}

	/**
	 * The rules in force and what each peer selector selects now, read together.
	 * @return the snapshot
	 */
	public PolicyRepository repository() {
		synchronized (this.lock) {
			return new PolicyRepository(revision(), this.engine.rules(), this.engine.selectorCache().snapshot());
		}
	}

	/**
	 * Traces a new connection against the rules in force now, as upstream's
	 * {@code cilium-dbg policy trace}: which rules decide each side.
	 * @param from the source's labels
	 * @param to the destination's labels
	 * @param toPorts the destination's named ports
	 * @param port destination port and protocol
	 * @return the verdict and the deciding rules
	 */
	public TraceResult trace(Labels from, Labels to, List<NamedPort> toPorts, PortProtocol port) {
		synchronized (this.lock) {
			return new PolicyTracer(this.engine).trace(from, to, toPorts, port);
		}
	}

	@Override
	public void close() {
		this.writer.close();
	}

	private void update(Supplier<PolicyDelta> change) {
		long start = System.nanoTime();
		PolicyDelta delta;
		synchronized (this.lock) {
			delta = change.get();
			handOver(delta);
			this.writer.handedOver();
		}
		for (PolicyDelta.EndpointChange endpoint : delta.changes()) {
			this.changeListeners.forEach((listener) -> listener.accept(endpoint.identity()));
		}
		this.writer.afterQueued(() -> this.implementationDelay.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
	}

	/** Hands a delta to the writer for every endpoint it concerns; under the lock. */
	private void handOver(PolicyDelta delta) {
		for (PolicyDelta.EndpointChange change : delta.changes()) {
			this.endpoints.forEach((id, endpoint) -> {
				if (endpoint.identity == change.identity() && endpoint.map != null) {
					this.writer.apply(id, change);
				}
			});
		}
	}

	/** After a failed write: queues the endpoint's whole policy again. */
	private CompletableFuture<Void> resync(int endpointId) {
		synchronized (this.lock) {
			LocalEndpoint endpoint = this.endpoints.get(endpointId);
			if (endpoint == null || endpoint.map == null) {
				return CompletableFuture.completedFuture(null);
			}
			return this.writer.replace(endpointId, endpoint.map, this.engine.policy(endpoint.identity));
		}
	}

	private void release(long identity) {
		for (LocalEndpoint endpoint : this.endpoints.values()) {
			if (endpoint.identity == identity) {
				return;
			}
		}
		this.namedPorts.remove(identity);
		handOver(this.engine.removeEndpoint(identity));
	}

	/** A local endpoint: its identity and its map (null while dropped). */
	private record LocalEndpoint(long identity, EndpointPolicyMap map) {

	}

}
