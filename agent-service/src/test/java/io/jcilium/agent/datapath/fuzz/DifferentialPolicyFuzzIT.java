package io.jcilium.agent.datapath.fuzz;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.agent.datapath.KernelRequirements;
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

	@Test
	void theOfflineTraceAndTheDatapathAgreeOnEveryProbedConnection() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "ping", "sysctl");
		Settings settings = Settings.fromSystemProperties();
		ScenarioGenerator generator = new ScenarioGenerator(settings.pods(), settings.probes(), settings.policies());
		List<String> failures = new ArrayList<>();
		int probes = 0;
		int allowed = 0;
		for (long seed : settings.seeds()) {
			long start = System.nanoTime();
			FuzzScenario scenario = generator.generate(seed);
			ScenarioRun run = new ScenarioRun(scenario);
			List<Reproducer.Disagreement> disagreements = run.run();
			probes += run.probed();
			allowed += run.allowed();
			System.out.printf("fuzz: seed %d: %d probes, %d allowed by the trace, %d disagreements (%.1f s)%n", seed,
					run.probed(), run.allowed(), disagreements.size(), (System.nanoTime() - start) / 1e9);
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
				int count = Integer.getInteger("fuzz.seeds", 10);
				for (int i = 0; i < count; i++) {
					seeds.add(first + i);
				}
			}
			return new Settings(seeds, Integer.getInteger("fuzz.pods", 5), Integer.getInteger("fuzz.probes", 16),
					Integer.getInteger("fuzz.policies", 4));
		}

	}

}
