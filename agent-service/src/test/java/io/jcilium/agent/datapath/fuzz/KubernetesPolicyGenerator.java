package io.jcilium.agent.datapath.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random Kubernetes NetworkPolicy documents (networking.k8s.io/v1): a pod selector,
 * policy types, peers by pod selector, namespace selector or both, numbered and named
 * ports with endPort. No ipBlock: this fuzzer probes pods only; ipBlocks against outside
 * addresses are checked by {@code CidrPolicyDatapathIT}.
 */
final class KubernetesPolicyGenerator {

	private static final Map<String, List<String>> NAMESPACE_LABELS = Map.of("team", List.of("red", "blue"),
			"kubernetes.io/metadata.name", PolicyGenerator.NAMESPACES);

	private final PolicyGenerator base;

	private final Random random;

	KubernetesPolicyGenerator(PolicyGenerator base) {
		this.base = base;
		this.random = base.random();
	}

	Map<String, Object> policy(String name, String namespace) {
		Map<String, Object> spec = new LinkedHashMap<>();
		spec.put("podSelector", this.base.labelSelector(PolicyGenerator.POD_LABELS, 30));
		List<String> types = List
			.of(List.of("Ingress"), List.of("Egress"), List.of("Ingress", "Egress"), List.<String>of())
			.get(this.random.nextInt(4));
		if (!types.isEmpty()) {
			spec.put("policyTypes", types);
		}
		for (String direction : List.of("ingress", "egress")) {
			boolean declared = types.isEmpty() ? direction.equals("ingress") : types.contains(capitalized(direction));
			// A section without its policy type is ignored by Kubernetes; write it
			// sometimes anyway, to check both sides ignore it.
			if ((declared && this.random.nextInt(10) < 8) || this.random.nextInt(10) == 0) {
				List<Object> rules = new ArrayList<>();
				int count = 1 + this.random.nextInt(2);
				for (int i = 0; i < count; i++) {
					rules.add(rule(direction.equals("ingress") ? "from" : "to"));
				}
				spec.put(direction, rules);
			}
		}
		Map<String, Object> policy = new LinkedHashMap<>();
		policy.put("apiVersion", "networking.k8s.io/v1");
		policy.put("kind", "NetworkPolicy");
		policy.put("metadata", Map.of("name", name, "namespace", namespace));
		policy.put("spec", spec);
		return policy;
	}

	private Map<String, Object> rule(String peersKey) {
		Map<String, Object> rule = new LinkedHashMap<>();
		if (this.random.nextInt(5) > 0) {
			List<Object> peers = new ArrayList<>();
			int count = 1 + ((this.random.nextInt(4) == 0) ? 1 : 0);
			for (int i = 0; i < count; i++) {
				peers.add(peer());
			}
			rule.put(peersKey, peers);
		}
		if (this.random.nextInt(2) == 0) {
			rule.put("ports", ports());
		}
		return rule;
	}

	private Map<String, Object> peer() {
		Map<String, Object> peer = new LinkedHashMap<>();
		int form = this.random.nextInt(3);
		if (form != 1) {
			peer.put("podSelector", this.base.labelSelector(PolicyGenerator.POD_LABELS, 20));
		}
		if (form != 0) {
			peer.put("namespaceSelector", this.base.labelSelector(NAMESPACE_LABELS, 30));
		}
		return peer;
	}

	private List<Object> ports() {
		List<Object> ports = new ArrayList<>();
		int count = 1 + this.random.nextInt(2);
		for (int i = 0; i < count; i++) {
			Map<String, Object> port = new LinkedHashMap<>();
			int form = this.random.nextInt(10);
			if (form < 2) {
				port.put("port", this.base.pick(PolicyGenerator.PORT_NAMES));
			}
			else if (form > 2) {
				int number = this.base.pick(PolicyGenerator.PORTS);
				port.put("port", number);
				if (form > 6) {
					port.put("endPort", number + this.random.nextInt(this.random.nextBoolean() ? 4 : 12));
				}
			}
			if (this.random.nextInt(4) > 0) {
				port.put("protocol", this.random.nextBoolean() ? "TCP" : "UDP");
			}
			ports.add(port);
		}
		return ports;
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

}
