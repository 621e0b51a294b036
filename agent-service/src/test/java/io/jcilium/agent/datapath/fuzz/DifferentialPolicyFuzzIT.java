package io.jcilium.agent.datapath.fuzz;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.common.policy.trace.ClusterModel;
import io.jcilium.common.policy.trace.ClusterSpec;
import io.jcilium.common.policy.trace.TraceResult;
import io.jcilium.common.policy.trace.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential fuzzing of the offline policy trace against the real datapath: random
 * policies (YAML, through the project's parser) and pods; the trace's verdict for a
 * sample of connections; the same pods as endpoints with bpf_lxc on real veths, the same
 * policies through the agent's policy cell into the maps, and real packets for each
 * connection. Any disagreement fails the test with a reproducer under
 * {@code target/fuzz-reproducers}.
 * <p>
 * The CI form runs a fixed set of seeds. System properties: {@code fuzz.seed} replays one
 * seed; {@code fuzz.seeds} (count), {@code fuzz.firstSeed}, {@code fuzz.pods},
 * {@code fuzz.probes} and {@code fuzz.policies} (at most, per seed) size a longer run
 * ({@code scripts/fuzz-datapath.sh}).
 */
class DifferentialPolicyFuzzIT {

	private final PolicyParser parser = new PolicyParser();

	@Test
	void theOfflineTraceAndTheDatapathAgreeOnEveryProbedConnection() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "ping", "sysctl");
		Settings settings = Settings.fromSystemProperties();
		ScenarioGenerator generator = new ScenarioGenerator(settings.pods(), settings.probes(), settings.policies());
		List<String> failures = new ArrayList<>();
		int probes = 0;
		int allowed = 0;
		for (long seed : settings.seeds()) {
			System.out.println("fuzz: seed " + seed);
			FuzzScenario scenario = generator.generate(seed);
			List<Reproducer.Disagreement> disagreements = new ArrayList<>();
			allowed += run(scenario, disagreements);
			probes += scenario.probes().size();
			if (!disagreements.isEmpty()) {
				Path dir = Reproducer.write(scenario, disagreements);
				failures.add("seed " + seed + " (reproducer in " + dir.toAbsolutePath() + "):");
				disagreements.forEach((d) -> failures.add("  " + d));
			}
		}
		System.out.printf("fuzz: %d seeds, %d connections probed (%d allowed by the trace), %d disagreements%n",
				settings.seeds().size(), probes, allowed, failures.stream().filter((f) -> f.startsWith("  ")).count());
		assertThat(failures).as("disagreements between the offline trace and the datapath").isEmpty();
	}

	/**
	 * Runs one scenario and collects what disagrees.
	 * @return how many probes the trace allowed
	 */
	private int run(FuzzScenario scenario, List<Reproducer.Disagreement> disagreements) {
		ClusterSpec spec = ClusterSpec.parse(scenario.podsYaml());
		List<PolicyObject> policies = new ArrayList<>();
		for (String document : scenario.policies()) {
			try {
				policies.addAll(this.parser.parse(document));
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException("seed " + scenario.seed() + " generated a policy the parser rejects ("
						+ ex.getMessage() + "):\n" + document, ex);
			}
		}
		ClusterModel model = ClusterModel.build(spec, policies, true);
		// a second stream from the seed, so that the scenario does not shift with it
		boolean policiesFirst = new Random(~scenario.seed()).nextBoolean();
		int allowed = 0;
		try (FuzzDatapath datapath = new FuzzDatapath()) {
			Set<Long> identities = new HashSet<>();
			for (ClusterSpec.PodSpec pod : spec.pods()) {
				Identity identity = model.identity(pod.displayName());
				if (identities.add(identity.id())) {
					datapath.upsertIdentity(identity);
				}
			}
			if (policiesFirst) {
				policies.forEach(datapath::upsertPolicy);
			}
			Map<String, PodTopology.Pod> pods = new LinkedHashMap<>();
			for (int i = 0; i < spec.pods().size(); i++) {
				ClusterSpec.PodSpec pod = spec.pods().get(i);
				pods.put(pod.displayName(),
						datapath.addPod("f" + i, "10.77.0." + (i + 1), model.identity(pod.displayName()), pod.ports()));
			}
			if (!policiesFirst) {
				// the incremental path: policy deltas onto endpoints already running
				policies.forEach(datapath::upsertPolicy);
			}
			try (PacketProbes packets = new PacketProbes(pods, scenario.probes())) {
				for (FuzzScenario.Probe probe : scenario.probes()) {
					TraceResult trace = model.trace(probe.from(), probe.to(), probe.port());
					boolean traceAllowed = trace.verdict() == Verdict.ALLOWED;
					boolean delivered = packets.delivered(probe);
					if (traceAllowed && !delivered) {
						delivered = packets.confirmedDelivered(probe);
					}
					if (traceAllowed) {
						allowed++;
					}
					if (delivered != traceAllowed) {
						disagreements.add(new Reproducer.Disagreement(probe, traceAllowed,
								model.mapStateAllows(probe.from(), probe.to(), probe.port()), delivered,
								trace.explain()));
					}
				}
			}
		}
		return allowed;
	}

	/** How much to run, from system properties. */
	private record Settings(List<Long> seeds, int pods, int probes, int policies) {

		static Settings fromSystemProperties() {
			List<Long> seeds = new ArrayList<>();
			String replay = System.getProperty("fuzz.seed");
			if (replay != null && !replay.isBlank()) {
				seeds.add(Long.parseLong(replay.trim()));
			}
			else {
				long first = Long.getLong("fuzz.firstSeed", 1);
				int count = Integer.getInteger("fuzz.seeds", 12);
				for (int i = 0; i < count; i++) {
					seeds.add(first + i);
				}
			}
			return new Settings(seeds, Integer.getInteger("fuzz.pods", 5), Integer.getInteger("fuzz.probes", 16),
					Integer.getInteger("fuzz.policies", 4));
		}

	}

}
