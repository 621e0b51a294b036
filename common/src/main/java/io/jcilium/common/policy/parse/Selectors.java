package io.jcilium.common.policy.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.jcilium.common.label.Label;
import io.jcilium.common.policy.model.PodLabels;
import io.jcilium.common.selector.LabelSelector;
import io.jcilium.common.selector.Operator;
import io.jcilium.common.selector.Requirement;

/**
 * Label selectors from YAML, and the namespace narrowing upstream applies to them.
 */
final class Selectors {

	private static final String NAMESPACE_KEY = Label.SOURCE_K8S + ":" + PodLabels.NAMESPACE_LABEL;

	private Selectors() {
	}

	/**
	 * Parse {@code matchLabels}/{@code matchExpressions}, rewriting each key.
	 * @param node the selector object
	 * @param keyMapper turns a written key into a source-qualified selector key
	 * @return the selector
	 */
	static LabelSelector parse(Node node, UnaryOperator<String> keyMapper) {
		node.asMap();
		Map<String, String> matchLabels = new LinkedHashMap<>();
		Node labelsNode = node.get("matchLabels");
		labelsNode.stringMap()
			.forEach((key, value) -> matchLabels.put(labelsNode.get(key).convert((n) -> checkKey(keyMapper.apply(key))),
					value));
		List<Requirement> expressions = new ArrayList<>();
		for (Node expression : node.get("matchExpressions").list()) {
			expressions.add(expression.convert((n) -> {
				String key = n.get("key").requiredString();
				String operator = n.get("operator").requiredString();
				List<String> values = n.get("values").strings();
				return Requirement.of(keyMapper.apply(key), operator, values);
			}));
		}
		return labelsNode.convert((n) -> LabelSelector.of(matchLabels, expressions));
	}

	/**
	 * Keys as CiliumNetworkPolicy writes them: {@code source:key}, no source meaning any.
	 */
	static String ciliumKey(String key) {
		return key;
	}

	/** Keys of a NetworkPolicy podSelector: Kubernetes pod labels. */
	static String podKey(String key) {
		return Label.SOURCE_K8S + ":" + key;
	}

	/**
	 * Keys of a NetworkPolicy namespaceSelector: the namespace labels copied onto each
	 * pod.
	 */
	static String namespaceKey(String key) {
		return Label.SOURCE_K8S + ":" + PodLabels.NAMESPACE_LABELS_PREFIX + key;
	}

	/**
	 * Limit a selector to one namespace unless it already names a namespace, as upstream
	 * does for the selectors of a namespaced policy. An empty namespace (cluster-wide
	 * policy) limits it to pods of any namespace, so that {@code {}} in a clusterwide
	 * policy means every pod, not every identity.
	 * @param selector the selector as written
	 * @param namespace the policy's namespace, or empty for cluster-wide
	 * @return the narrowed selector
	 */
	static LabelSelector inNamespace(LabelSelector selector, String namespace) {
		if (selector.mentionsKey(PodLabels.NAMESPACE_LABEL)) {
			return selector;
		}
		if (namespace.isEmpty()) {
			return selector
				.and(new Requirement(Requirement.parseKey(NAMESPACE_KEY), Operator.EXISTS, new java.util.TreeSet<>()));
		}
		boolean namesNamespaceLabels = selector.requirements()
			.stream()
			.anyMatch((r) -> r.key().key().startsWith(PodLabels.NAMESPACE_LABELS_PREFIX));
		if (namesNamespaceLabels) {
			return selector;
		}
		return selector.and(Requirement.of(NAMESPACE_KEY, "In", List.of(namespace)));
	}

	/**
	 * The subject of a namespaced policy: always limited to its namespace.
	 * @param selector the endpointSelector or podSelector
	 * @param namespace the policy namespace
	 * @return the narrowed selector
	 */
	static LabelSelector subjectInNamespace(LabelSelector selector, String namespace) {
		return selector.and(Requirement.of(NAMESPACE_KEY, "In", List.of(namespace)));
	}

	private static String checkKey(String key) {
		Requirement.parseKey(key);
		return key;
	}

}
