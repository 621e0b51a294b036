package io.jcilium.common.policy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.trace.ClusterModel;
import io.jcilium.common.policy.trace.PortProtocol;
import io.jcilium.common.policy.trace.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario under {@code policy/scenarios}: the full reachability matrix must
 * match the expectation both through the tracer (rules evaluated directly) and through
 * the computed policy map entries (what the datapath would enforce).
 */
class PolicyConformanceTest {

	static final int MINIMUM_SCENARIOS = 80;

	@TestFactory
	Stream<DynamicTest> scenarios() throws IOException, URISyntaxException {
		return loadAll().stream().map((scenario) -> DynamicTest.dynamicTest(scenario.toString(), () -> run(scenario)));
	}

	@Test
	void thereAreEnoughScenarios() throws IOException, URISyntaxException {
		assertThat(loadAll().size()).as("number of conformance scenarios").isGreaterThanOrEqualTo(MINIMUM_SCENARIOS);
	}

	private static void run(Scenario scenario) {
		ClusterModel model = ClusterModel.build(scenario.cluster(), new PolicyParser().parse(scenario.policies()),
				true);
		List<String> mismatches = new ArrayList<>();
		for (String from : model.names()) {
			for (String to : model.names()) {
				if (!model.isPod(from) && !model.isPod(to)) {
					continue;
				}
				for (PortProtocol port : scenario.ports()) {
					Verdict expected = scenario.expected(from, to, port);
					Verdict traced = model.trace(from, to, port).verdict();
					Verdict mapped = model.mapStateAllows(from, to, port) ? Verdict.ALLOWED : Verdict.DENIED;
					if (traced != expected || mapped != expected) {
						mismatches.add(from + " -> " + to + " " + port + ": expected " + expected.text() + ", trace "
								+ traced.text() + ", map state " + mapped.text());
					}
				}
			}
		}
		assertThat(mismatches).as("reachability of %s", scenario).isEmpty();
	}

	@SuppressWarnings("unchecked")
	static List<Scenario> loadAll() throws IOException, URISyntaxException {
		Path dir = Path.of(PolicyConformanceTest.class.getResource("/policy/scenarios").toURI());
		List<Scenario> scenarios = new ArrayList<>();
		try (Stream<Path> files = Files.list(dir)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".yaml")).sorted().toList()) {
				try (InputStream in = Files.newInputStream(file)) {
					for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
						if (document != null) {
							scenarios.add(Scenario.from(file.getFileName().toString(), (Map<String, Object>) document));
						}
					}
				}
			}
		}
		return scenarios;
	}

}
