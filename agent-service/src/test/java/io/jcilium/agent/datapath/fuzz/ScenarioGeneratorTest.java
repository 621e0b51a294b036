package io.jcilium.agent.datapath.fuzz;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.common.policy.trace.ClusterModel;
import io.jcilium.common.policy.trace.ClusterSpec;
import io.jcilium.common.policy.trace.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator behind {@link DifferentialPolicyFuzzIT}: every document it writes is a
 * policy the parser accepts, a seed always gives the same scenario, and the scenarios are
 * not vacuous (the trace both allows and denies a fair share of the probes, so the
 * datapath is tried on both sides).
 */
class ScenarioGeneratorTest {

	private static final int SEEDS = 300;

	private final ScenarioGenerator generator = new ScenarioGenerator(5, 16, 4);

	@Test
	void everyGeneratedPolicyParses() {
		PolicyParser parser = new PolicyParser();
		for (long seed = 1; seed <= SEEDS; seed++) {
			FuzzScenario scenario = this.generator.generate(seed);
			for (String document : scenario.policies()) {
				assertThat(parser.parse(document)).as("seed %d:%n%s", seed, document).isNotEmpty();
			}
			assertThat(ClusterSpec.parse(scenario.podsYaml()).pods()).hasSize(5);
		}
	}

	@Test
	void aSeedAlwaysGivesTheSameScenario() {
		assertThat(this.generator.generate(42)).isEqualTo(this.generator.generate(42));
		assertThat(this.generator.generate(42)).isNotEqualTo(this.generator.generate(43));
	}

	@Test
	void theTraceAllowsAndDeniesAFairShareOfTheProbes() {
		PolicyParser parser = new PolicyParser();
		int allowed = 0;
		int total = 0;
		for (long seed = 1; seed <= SEEDS; seed++) {
			FuzzScenario scenario = this.generator.generate(seed);
			List<PolicyObject> policies = new ArrayList<>();
			scenario.policies().forEach((document) -> policies.addAll(parser.parse(document)));
			ClusterModel model = ClusterModel.build(ClusterSpec.parse(scenario.podsYaml()), policies, true);
			for (FuzzScenario.Probe probe : scenario.probes()) {
				total++;
				if (model.trace(probe.from(), probe.to(), probe.port()).verdict() == Verdict.ALLOWED) {
					allowed++;
				}
			}
		}
		System.out.printf("generator: %d of %d probes allowed by the trace%n", allowed, total);
		assertThat(allowed).as("allowed probes").isBetween(total / 4, total * 3 / 4);
	}

	@Test
	void theTraceAndTheEnginesMapStateAgreeOnEveryGeneratedProbe() {
		// The kernel-free half of the differential: what the datapath is given (the
		// engine's map entries) against the trace, on far more seeds than packets allow.
		PolicyParser parser = new PolicyParser();
		List<String> disagreements = new ArrayList<>();
		for (long seed = 1; seed <= SEEDS * 10; seed++) {
			FuzzScenario scenario = this.generator.generate(seed);
			List<PolicyObject> policies = new ArrayList<>();
			scenario.policies().forEach((document) -> policies.addAll(parser.parse(document)));
			ClusterModel model = ClusterModel.build(ClusterSpec.parse(scenario.podsYaml()), policies, true);
			for (FuzzScenario.Probe probe : scenario.probes()) {
				boolean traced = model.trace(probe.from(), probe.to(), probe.port()).verdict() == Verdict.ALLOWED;
				if (traced != model.mapStateAllows(probe.from(), probe.to(), probe.port())) {
					disagreements.add("seed " + seed + ": " + probe + " traced " + traced);
				}
			}
		}
		assertThat(disagreements).isEmpty();
	}

}
