package io.jcilium.agent.datapath.fuzz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.trace.PortProtocol;

/**
 * Generates a {@link FuzzScenario} from a seed: the same seed gives the same scenario, so
 * a disagreement can be replayed from its seed alone.
 */
final class ScenarioGenerator {

	private static final int ECHO_REQUEST = 8;

	private final int pods;

	private final int probes;

	private final int maxPolicies;

	/**
	 * A generator.
	 * @param pods pods per scenario
	 * @param probes connections tried per scenario
	 * @param maxPolicies at most this many policy documents per scenario (at least one)
	 */
	ScenarioGenerator(int pods, int probes, int maxPolicies) {
		if (pods < 2) {
			throw new IllegalArgumentException("need at least two pods to send anything, got " + pods);
		}
		this.pods = pods;
		this.probes = probes;
		this.maxPolicies = maxPolicies;
	}

	FuzzScenario generate(long seed) {
		Random random = new Random(seed);
		PolicyGenerator policies = new PolicyGenerator(random);
		List<String> names = new ArrayList<>();
		String podsYaml = dump(pods(random, names));
		List<String> documents = new ArrayList<>();
		int count = 1 + random.nextInt(this.maxPolicies);
		for (int i = 0; i < count; i++) {
			documents.add(dump(policies.policy(i)));
		}
		List<FuzzScenario.Probe> probes = probes(random, names);
		FuzzScenario.Change change = random.nextBoolean()
				? new FuzzScenario.Change(random.nextInt(documents.size()), null)
				: new FuzzScenario.Change(-1, dump(policies.policy(count)));
		return new FuzzScenario(seed, podsYaml, documents, probes, change);
	}

	private Map<String, Object> pods(Random random, List<String> names) {
		List<Object> namespaces = new ArrayList<>();
		for (String namespace : PolicyGenerator.NAMESPACES) {
			namespaces.add(Map.of("name", namespace, "labels", Map.of("team", random.nextBoolean() ? "red" : "blue")));
		}
		// Pods with the same labels share an identity, and with it their named ports.
		Map<String, List<Object>> portsByLabels = new HashMap<>();
		List<Object> pods = new ArrayList<>();
		for (int i = 0; i < this.pods; i++) {
			String namespace = PolicyGenerator.NAMESPACES.get((i < 2) ? i : random.nextInt(2));
			Map<String, Object> labels = new LinkedHashMap<>();
			for (String key : List.of("app", "tier", "env")) {
				if (random.nextInt(3) > 0) {
					List<String> values = PolicyGenerator.POD_LABELS.get(key);
					labels.put(key, values.get(random.nextInt(values.size())));
				}
			}
			Map<String, Object> pod = new LinkedHashMap<>();
			pod.put("namespace", namespace);
			pod.put("name", "p" + i);
			pod.put("labels", labels);
			pod.put("ports", portsByLabels.computeIfAbsent(namespace + labels, (k) -> namedPorts(random)));
			pods.add(pod);
			names.add(namespace + "/p" + i);
		}
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("namespaces", namespaces);
		root.put("pods", pods);
		return root;
	}

	private static List<Object> namedPorts(Random random) {
		List<Object> ports = new ArrayList<>();
		if (random.nextBoolean()) {
			ports.add(namedPort("http", random.nextBoolean() ? 80 : 8080, "TCP"));
		}
		if (random.nextBoolean()) {
			ports.add(namedPort("dns", 5353, "UDP"));
		}
		if (random.nextBoolean()) {
			ports.add(namedPort("metrics", random.nextBoolean() ? 9090 : 8081, "TCP"));
		}
		return ports;
	}

	private static Map<String, Object> namedPort(String name, int port, String protocol) {
		Map<String, Object> named = new LinkedHashMap<>();
		named.put("name", name);
		named.put("port", port);
		named.put("protocol", protocol);
		return named;
	}

	private List<FuzzScenario.Probe> probes(Random random, List<String> names) {
		Set<FuzzScenario.Probe> probes = new LinkedHashSet<>();
		for (int attempt = 0; probes.size() < this.probes && attempt < this.probes * 10; attempt++) {
			String from = names.get(random.nextInt(names.size()));
			String to = names.get(random.nextInt(names.size()));
			if (from.equals(to)) {
				continue;
			}
			probes.add(new FuzzScenario.Probe(from, to, port(random)));
		}
		return new ArrayList<>(probes);
	}

	private static PortProtocol port(Random random) {
		int kind = random.nextInt(20);
		if (kind < 3) {
			return new PortProtocol(ECHO_REQUEST, Protocol.ICMP);
		}
		Protocol protocol = (kind < 12) ? Protocol.TCP : Protocol.UDP;
		if (kind % 6 == 0) {
			// now and then a port no rule draws from, below the ephemeral range (32768
			// on):
			// a receiver there could meet a sender's socket in the same pod
			return new PortProtocol(20000 + random.nextInt(10000), protocol);
		}
		return new PortProtocol(PolicyGenerator.PORTS.get(random.nextInt(PolicyGenerator.PORTS.size())), protocol);
	}

	private static String dump(Object tree) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setIndicatorIndent(2);
		options.setIndentWithIndicator(true);
		return new Yaml(options).dump(tree);
	}

}
