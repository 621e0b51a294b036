package io.jcilium.agent.datapath.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random policies as a user writes them (CiliumNetworkPolicy,
 * CiliumClusterwideNetworkPolicy, Kubernetes NetworkPolicy), built as YAML trees from a
 * seeded {@link Random}. Only what the datapath enforces on one node today: label
 * selectors (matchLabels and matchExpressions), namespaces, ingress and egress, allow and
 * deny, numbered ports, port ranges, named ports, TCP/UDP/ANY, ICMP echo and the entities
 * that mean something for pods on one node. No CIDR rules: this fuzzer probes pods only;
 * CIDR rules against outside addresses are checked by the datapath's
 * {@code CidrPolicyDatapathIT}.
 */
final class PolicyGenerator {

	static final List<String> NAMESPACES = List.of("alpha", "beta");

	static final Map<String, List<String>> POD_LABELS = Map.of("app", List.of("web", "db", "cache"), "tier",
			List.of("front", "back"), "env", List.of("prod", "dev"));

	/**
	 * The ports rules and probes draw from, so that they meet often, with neighbours that
	 * sit on either side of range and prefix boundaries.
	 */
	static final List<Integer> PORTS = List.of(80, 443, 5353, 8079, 8080, 8081, 8082, 8083, 8088, 9090);

	static final List<String> PORT_NAMES = List.of("http", "dns", "metrics");

	private static final List<String> ENTITIES = List.of("all", "world", "cluster", "host");

	private final Random random;

	/**
	 * Selectors already used in this scenario: rules often name them again, so that
	 * allows and denies meet on the same subjects and peers, where precedence matters.
	 */
	private final List<Map<String, Object>> usedSelectors = new ArrayList<>();

	PolicyGenerator(Random random) {
		this.random = random;
	}

	/**
	 * One policy document.
	 * @param index its number, for a unique name
	 * @return the YAML tree
	 */
	Map<String, Object> policy(int index) {
		int kind = this.random.nextInt(10);
		if (kind < 5) {
			return cilium("CiliumNetworkPolicy", "cnp-" + index, pick(NAMESPACES));
		}
		if (kind < 7) {
			return cilium("CiliumClusterwideNetworkPolicy", "ccnp-" + index, null);
		}
		return new KubernetesPolicyGenerator(this).policy("knp-" + index, pick(NAMESPACES));
	}

	private Map<String, Object> cilium(String kind, String name, String namespace) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("name", name);
		if (namespace != null) {
			metadata.put("namespace", namespace);
		}
		Map<String, Object> spec = new LinkedHashMap<>();
		spec.put("endpointSelector", reusedSelector(namespace == null));
		boolean any = false;
		for (String section : List.of("ingress", "ingressDeny", "egress", "egressDeny")) {
			if (this.random.nextInt(100) < ((section.endsWith("Deny")) ? 30 : 55)) {
				List<Object> rules = new ArrayList<>();
				int count = 1 + this.random.nextInt(2);
				for (int i = 0; i < count; i++) {
					rules.add(ciliumRule(section.startsWith("ingress") ? "from" : "to"));
				}
				spec.put(section, rules);
				any = true;
			}
		}
		if (!any) {
			spec.put("ingress", List.of(ciliumRule("from")));
		}
		if (this.random.nextInt(10) == 0) {
			spec.put("enableDefaultDeny",
					Map.of("ingress", this.random.nextBoolean(), "egress", this.random.nextBoolean()));
		}
		Map<String, Object> policy = new LinkedHashMap<>();
		policy.put("apiVersion", "cilium.io/v2");
		policy.put("kind", kind);
		policy.put("metadata", metadata);
		policy.put("spec", spec);
		return policy;
	}

	private Map<String, Object> ciliumRule(String prefix) {
		Map<String, Object> rule = new LinkedHashMap<>();
		int peer = this.random.nextInt(10);
		if (peer < 6) {
			List<Object> selectors = new ArrayList<>();
			int count = 1 + ((this.random.nextInt(4) == 0) ? 1 : 0);
			for (int i = 0; i < count; i++) {
				selectors.add(reusedSelector(this.random.nextInt(3) == 0));
			}
			rule.put(prefix + "Endpoints", selectors);
		}
		else if (peer < 8) {
			rule.put(prefix + "Entities", List.of(pick(ENTITIES)));
		}
		int l4 = this.random.nextInt(10);
		if (l4 < 5 || rule.isEmpty()) {
			rule.put("toPorts", List.of(Map.of("ports", ciliumPorts())));
		}
		else if (l4 < 6) {
			rule.put("icmps", List.of(Map.of("fields", List.of(Map.of("type", 8, "family", "IPv4")))));
		}
		return rule;
	}

	private List<Object> ciliumPorts() {
		List<Object> ports = new ArrayList<>();
		int count = 1 + this.random.nextInt(2);
		for (int i = 0; i < count; i++) {
			Map<String, Object> port = new LinkedHashMap<>();
			// 0-3 a named port (in deny rules too, as upstream allows), 4 port "0",
			// 5-6 no port (every port of the protocol), else a number, half of them with
			// a range
			int form = this.random.nextInt(20);
			if (form < 4) {
				port.put("port", pick(PORT_NAMES));
			}
			else if (form == 4) {
				port.put("port", "0");
			}
			else if (form < 5 || form > 6) {
				int number = pick(PORTS);
				port.put("port", String.valueOf(number));
				if (form > 12) {
					port.put("endPort", number + this.random.nextInt(this.random.nextBoolean() ? 4 : 12));
				}
			}
			int protocol = this.random.nextInt(4);
			if (protocol < 3) {
				port.put("protocol", List.of("TCP", "UDP", "ANY").get(protocol));
			}
			ports.add(port);
		}
		return ports;
	}

	private Map<String, Object> reusedSelector(boolean crossNamespace) {
		if (!this.usedSelectors.isEmpty() && this.random.nextInt(10) < 6) {
			return copy(pick(this.usedSelectors));
		}
		Map<String, Object> selector = selector(crossNamespace);
		this.usedSelectors.add(copy(selector));
		return selector;
	}

	/** A deep copy: a tree used twice would be written with YAML anchors and aliases. */
	@SuppressWarnings("unchecked")
	private static <T> T copy(T tree) {
		if (tree instanceof Map<?, ?> map) {
			Map<Object, Object> out = new LinkedHashMap<>();
			map.forEach((k, v) -> out.put(k, copy(v)));
			return (T) out;
		}
		if (tree instanceof List<?> list) {
			return (T) new ArrayList<>(list.stream().map(PolicyGenerator::copy).toList());
		}
		return tree;
	}

	/**
	 * An endpoint selector in Cilium's form: all, matchLabels or one matchExpressions
	 * term, sometimes naming a namespace or a namespace label.
	 * @param crossNamespace whether it may name the namespace
	 * @return the selector tree
	 */
	Map<String, Object> selector(boolean crossNamespace) {
		Map<String, Object> selector = labelSelector(POD_LABELS, 25);
		if (crossNamespace && this.random.nextBoolean()) {
			@SuppressWarnings("unchecked")
			Map<String, Object> labels = (Map<String, Object>) selector.computeIfAbsent("matchLabels",
					(k) -> new LinkedHashMap<>());
			if (this.random.nextBoolean()) {
				labels.put("k8s:io.kubernetes.pod.namespace", pick(NAMESPACES));
			}
			else {
				labels.put("k8s:io.cilium.k8s.namespace.labels.team", pick(List.of("red", "blue")));
			}
		}
		return selector;
	}

	/**
	 * A label selector over a vocabulary: empty (all) with the given chance in percent,
	 * else matchLabels or one matchExpressions term.
	 * @param vocabulary keys and their values
	 * @param allPercent chance of the empty selector
	 * @return the selector tree
	 */
	Map<String, Object> labelSelector(Map<String, List<String>> vocabulary, int allPercent) {
		Map<String, Object> selector = new LinkedHashMap<>();
		int form = this.random.nextInt(100);
		List<String> keys = new ArrayList<>(vocabulary.keySet());
		keys.sort(null);
		if (form < allPercent) {
			return selector;
		}
		String key = pick(keys);
		if (form < 65) {
			Map<String, Object> labels = new LinkedHashMap<>();
			labels.put(key, pick(vocabulary.get(key)));
			if (this.random.nextInt(4) == 0) {
				String other = pick(keys);
				labels.put(other, pick(vocabulary.get(other)));
			}
			selector.put("matchLabels", labels);
			return selector;
		}
		String operator = pick(List.of("In", "NotIn", "Exists", "DoesNotExist"));
		Map<String, Object> expression = new LinkedHashMap<>();
		expression.put("key", key);
		expression.put("operator", operator);
		if (operator.endsWith("In")) {
			List<String> values = new ArrayList<>(vocabulary.get(key));
			java.util.Collections.shuffle(values, this.random);
			expression.put("values", values.subList(0, 1 + this.random.nextInt(values.size())));
		}
		selector.put("matchExpressions", List.of(expression));
		return selector;
	}

	Random random() {
		return this.random;
	}

	<T> T pick(List<T> list) {
		return list.get(this.random.nextInt(list.size()));
	}

}
