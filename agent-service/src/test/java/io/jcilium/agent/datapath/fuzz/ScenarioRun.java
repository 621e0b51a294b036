package io.jcilium.agent.datapath.fuzz;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.common.policy.trace.ClusterModel;
import io.jcilium.common.policy.trace.ClusterSpec;
import io.jcilium.common.policy.trace.TraceResult;
import io.jcilium.common.policy.trace.Verdict;

/**
 * One scenario through both sides: the offline trace's model of the pods and policies,
 * and the same pods and policies in the datapath; every probe in two rounds, before and
 * after a policy change applied to the running endpoints.
 */
final class ScenarioRun {

	private static final int PARALLEL_PROBES = 4;

	private final PolicyParser parser = new PolicyParser();

	private final FuzzScenario scenario;

	private final List<Reproducer.Disagreement> disagreements = new ArrayList<>();

	private int probed;

	private int allowed;

	ScenarioRun(FuzzScenario scenario) {
		this.scenario = scenario;
	}

	/**
	 * Runs both rounds.
	 * @return what disagreed, empty if nothing
	 */
	List<Reproducer.Disagreement> run() {
		ClusterSpec spec = ClusterSpec.parse(this.scenario.podsYaml());
		List<List<PolicyObject>> documents = new ArrayList<>();
		this.scenario.policies().forEach((document) -> documents.add(parse(document)));
		List<PolicyObject> before = documents.stream().flatMap(List::stream).toList();
		FuzzScenario.Change change = this.scenario.change();
		List<PolicyObject> removed = (change.removed() >= 0) ? documents.get(change.removed()) : List.of();
		List<PolicyObject> added = (change.added() != null) ? parse(change.added()) : List.of();
		List<PolicyObject> after = new ArrayList<>(before);
		after.removeAll(removed);
		after.addAll(added);
		ClusterModel first = ClusterModel.build(spec, before, true);
		ClusterModel second = ClusterModel.build(spec, after, true);
		// a second stream from the seed, so that the scenario does not shift with it
		boolean policiesFirst = new Random(~this.scenario.seed()).nextBoolean();
		try (FuzzDatapath datapath = new FuzzDatapath()) {
			Set<Long> identities = new HashSet<>();
			for (ClusterSpec.PodSpec pod : spec.pods()) {
				Identity identity = first.identity(pod.displayName());
				if (identities.add(identity.id())) {
					datapath.upsertIdentity(identity);
				}
			}
			if (policiesFirst) {
				before.forEach(datapath::upsertPolicy);
			}
			Map<String, PodTopology.Pod> pods = new LinkedHashMap<>();
			for (int i = 0; i < spec.pods().size(); i++) {
				ClusterSpec.PodSpec pod = spec.pods().get(i);
				pods.put(pod.displayName(),
						datapath.addPod("f" + i, "10.77.0." + (i + 1), first.identity(pod.displayName()), pod.ports()));
			}
			if (!policiesFirst) {
				// the incremental path: policy deltas onto endpoints already running
				before.forEach(datapath::upsertPolicy);
			}
			try (PacketProbes packets = new PacketProbes(pods, this.scenario.probes())) {
				datapath.awaitMapsWritten();
				probeAll(1, first, packets);
				removed.forEach((policy) -> datapath.removePolicy(policy.key()));
				added.forEach(datapath::upsertPolicy);
				datapath.awaitMapsWritten();
				probeAll(2, second, packets);
			}
		}
		return this.disagreements;
	}

	int probed() {
		return this.probed;
	}

	int allowed() {
		return this.allowed;
	}

	private void probeAll(int round, ClusterModel model, PacketProbes packets) {
		List<FuzzScenario.Probe> probes = this.scenario.probes();
		boolean[] delivered = new boolean[probes.size()];
		// Probes run in parallel (they mostly wait), except those that share a
		// destination socket: a UDP port can have one receiver at a time.
		Map<String, List<Integer>> byDestination = new LinkedHashMap<>();
		for (int i = 0; i < probes.size(); i++) {
			FuzzScenario.Probe probe = probes.get(i);
			byDestination.computeIfAbsent(probe.to() + " " + probe.port(), (k) -> new ArrayList<>()).add(i);
		}
		ExecutorService executor = Executors.newFixedThreadPool(PARALLEL_PROBES);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (List<Integer> group : byDestination.values()) {
				running.add(executor.submit(() -> {
					for (int i : group) {
						FuzzScenario.Probe probe = probes.get(i);
						boolean traceAllowed = model.trace(probe.from(), probe.to(), probe.port())
							.verdict() == Verdict.ALLOWED;
						try {
							delivered[i] = packets.delivered(probe)
									|| (traceAllowed && packets.confirmedDelivered(probe));
						}
						catch (RuntimeException ex) {
							throw new IllegalStateException(
									"round " + round + ", probe " + probe + ": " + ex.getMessage() + "; UDP sockets in "
											+ probe.to() + ":\n" + packets.udpSockets(probe.to()),
									ex);
						}
					}
				}));
			}
			for (Future<?> future : running) {
				future.get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while probing seed " + this.scenario.seed(), ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("a probe of seed " + this.scenario.seed() + " failed", ex.getCause());
		}
		finally {
			executor.shutdownNow();
		}
		for (int i = 0; i < probes.size(); i++) {
			FuzzScenario.Probe probe = probes.get(i);
			TraceResult trace = model.trace(probe.from(), probe.to(), probe.port());
			boolean traceAllowed = trace.verdict() == Verdict.ALLOWED;
			this.probed++;
			if (traceAllowed) {
				this.allowed++;
			}
			if (delivered[i] != traceAllowed) {
				this.disagreements.add(new Reproducer.Disagreement(probe, round, traceAllowed,
						model.mapStateAllows(probe.from(), probe.to(), probe.port()), delivered[i], trace.explain()));
			}
		}
	}

	private List<PolicyObject> parse(String document) {
		try {
			return this.parser.parse(document);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("seed " + this.scenario.seed() + " generated a policy the parser rejects ("
					+ ex.getMessage() + "):\n" + document, ex);
		}
	}

}
