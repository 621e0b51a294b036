package io.jcilium.common.selector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;

/**
 * A Kubernetes label selector ({@code matchLabels} and {@code matchExpressions}) with
 * Cilium's source-qualified keys ({@code k8s:app}, {@code reserved:host}; a key without a
 * source means {@code any}). All requirements must hold; the empty selector selects
 * everything.
 * <p>
 * Selectors are values: two selectors with the same requirements are equal, whatever
 * order they were written in, so caches can share them.
 */
public final class LabelSelector {

	private static final LabelSelector ALL = new LabelSelector(new TreeSet<>());

	private final List<Requirement> requirements;

	private final String canonical;

	private LabelSelector(TreeSet<Requirement> requirements) {
		this.requirements = List.copyOf(requirements);
		this.canonical = this.requirements.stream().map(Requirement::toString).collect(Collectors.joining(", "));
	}

	/**
	 * The empty selector, which selects every endpoint.
	 * @return the selector {@code {}}
	 */
	public static LabelSelector all() {
		return ALL;
	}

	/**
	 * A selector from {@code matchLabels} and {@code matchExpressions}.
	 * @param matchLabels key (optionally {@code source:key}) to required value
	 * @param matchExpressions further requirements
	 * @return the selector
	 * @throws IllegalArgumentException if a key or value is invalid
	 */
	public static LabelSelector of(Map<String, String> matchLabels, Collection<Requirement> matchExpressions) {
		TreeSet<Requirement> all = new TreeSet<>(matchExpressions);
		matchLabels.forEach((key, value) -> {
			Label parsed = Requirement.parseKey(key);
			// Validate the value as a label value.
			new Label(parsed.source(), parsed.key(), value);
			all.add(new Requirement(parsed, Operator.IN, new TreeSet<>(Set.of((value != null) ? value : ""))));
		});
		return all.isEmpty() ? ALL : new LabelSelector(all);
	}

	/**
	 * A selector from {@code matchLabels} only.
	 * @param matchLabels key to required value
	 * @return the selector
	 */
	public static LabelSelector matchLabels(Map<String, String> matchLabels) {
		return of(matchLabels, List.of());
	}

	/**
	 * This selector with one more requirement (used to limit a namespaced policy's
	 * selectors to its namespace).
	 * @param requirement the extra requirement
	 * @return the narrower selector
	 */
	public LabelSelector and(Requirement requirement) {
		TreeSet<Requirement> all = new TreeSet<>(this.requirements);
		all.add(requirement);
		return new LabelSelector(all);
	}

	/**
	 * Whether the selector has a requirement on this key (from any source).
	 * @param key a label key
	 * @return whether some requirement names it
	 */
	public boolean mentionsKey(String key) {
		return this.requirements.stream().anyMatch((r) -> r.key().key().equals(key));
	}

	/**
	 * Whether the labels satisfy every requirement.
	 * @param labels endpoint labels
	 * @return whether the selector selects them
	 */
	public boolean matches(Labels labels) {
		for (Requirement requirement : this.requirements) {
			if (!requirement.matches(labels)) {
				return false;
			}
		}
		return true;
	}

	public boolean isEmpty() {
		return this.requirements.isEmpty();
	}

	public List<Requirement> requirements() {
		return new ArrayList<>(this.requirements);
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof LabelSelector other) && this.canonical.equals(other.canonical);
	}

	@Override
	public int hashCode() {
		return this.canonical.hashCode();
	}

	/**
	 * The canonical form, e.g. {@code {any:app in (web), k8s:io.kubernetes.pod.namespace
	 * in (x)}}.
	 */
	@Override
	public String toString() {
		return "{" + this.canonical + "}";
	}

}
