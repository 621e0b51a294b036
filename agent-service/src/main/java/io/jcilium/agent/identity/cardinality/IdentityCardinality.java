package io.jcilium.agent.identity.cardinality;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.model.PodLabels;

/**
 * Finds the labels that make identities multiply: a label key whose values, among the
 * identities of one namespace, are many and different, so that (nearly) every pod
 * carrying it is an identity of its own (a request id, a pod-unique hash, a timestamp).
 * Each such identity costs a number of the cluster's range, a policy map entry on every
 * node that selects it, and a regeneration of every selecting endpoint when it comes.
 * <p>
 * A key is reported once it has at least {@code threshold} distinct values among one
 * namespace's identities. Labels every identity of a namespace shares (the namespace's
 * own, its namespace labels, the cluster, reserved ones) never multiply identities within
 * it and are not counted.
 */
public final class IdentityCardinality {

	/** At most this many values of a key are kept; beyond it only the count grows. */
	private static final int MAX_VALUES_KEPT = 4096;

	private static final int EXAMPLES = 3;

	private IdentityCardinality() {
	}

	/**
	 * One label that makes identities multiply in one namespace.
	 *
	 * @param namespace the namespace
	 * @param label the label's {@code source:key}
	 * @param values how many distinct values it has among the namespace's identities
	 * (counted up to {@value #MAX_VALUES_KEPT}), each at least one identity
	 * @param identities how many of the namespace's identities carry it
	 * @param examples a few of its values
	 */
	public record Finding(String namespace, String label, int values, int identities, List<String> examples) {

		/** The label pattern that would leave the key out of identities. */
		public String exclusion() {
			int colon = this.label.indexOf(':');
			String source = this.label.substring(0, colon);
			String key = this.label.substring(colon + 1);
			return source + ":!" + key.replace(".", "\\.") + "$";
		}

	}

	/**
	 * The labels that make identities multiply, most values first.
	 * @param identities the cluster's identities by number
	 * @param threshold distinct values of one key in one namespace from which it is
	 * reported
	 * @return the findings
	 */
	public static List<Finding> find(Map<Long, Labels> identities, int threshold) {
		Map<String, Map<String, Values>> byNamespace = new HashMap<>();
		for (Labels labels : identities.values()) {
			Optional<String> namespace = namespace(labels);
			if (namespace.isEmpty()) {
				continue;
			}
			Map<String, Values> keys = byNamespace.computeIfAbsent(namespace.get(), (ns) -> new HashMap<>());
			for (Label label : labels.toList()) {
				if (sharedByTheNamespace(label)) {
					continue;
				}
				keys.computeIfAbsent(label.sourceAndKey(), (key) -> new Values()).add(label.value());
			}
		}
		List<Finding> findings = new ArrayList<>();
		byNamespace.forEach((namespace, keys) -> keys.forEach((key, values) -> {
			if (values.distinct.size() >= threshold) {
				findings.add(new Finding(namespace, key, values.distinct.size(), values.identities,
						values.distinct.stream().limit(EXAMPLES).toList()));
			}
		}));
		findings.sort(Comparator.comparingInt(Finding::values)
			.reversed()
			.thenComparing(Finding::namespace)
			.thenComparing(Finding::label));
		return findings;
	}

	private static Optional<String> namespace(Labels labels) {
		for (Label label : labels.toList()) {
			if (Label.SOURCE_K8S.equals(label.source()) && PodLabels.NAMESPACE_LABEL.equals(label.key())) {
				return Optional.of(label.value());
			}
		}
		return Optional.empty();
	}

	private static boolean sharedByTheNamespace(Label label) {
		return Label.SOURCE_RESERVED.equals(label.source()) || label.key().equals(PodLabels.NAMESPACE_LABEL)
				|| label.key().startsWith(PodLabels.NAMESPACE_LABELS_PREFIX)
				|| label.key().equals(PodLabels.CLUSTER_LABEL);
	}

	private static final class Values {

		private final Set<String> distinct = new TreeSet<>();

		private int identities;

		void add(String value) {
			this.identities++;
			if (this.distinct.size() < MAX_VALUES_KEPT) {
				this.distinct.add(value);
			}
		}

	}

}
