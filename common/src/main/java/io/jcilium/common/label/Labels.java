package io.jcilium.common.label;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An immutable set of labels, at most one per key (as upstream's {@code labels.Labels}, a
 * map keyed by label key), kept in canonical sorted order.
 */
public final class Labels {

	private static final Labels EMPTY = new Labels(new TreeMap<>());

	private final TreeMap<String, Label> byKey;

	private Labels(TreeMap<String, Label> byKey) {
		this.byKey = byKey;
	}

	/**
	 * The empty label set.
	 * @return no labels
	 */
	public static Labels empty() {
		return EMPTY;
	}

	/**
	 * Labels from a collection.
	 * @param labels the labels
	 * @return the set
	 * @throws IllegalArgumentException if two labels share a key with different sources
	 * or values
	 */
	public static Labels of(Collection<Label> labels) {
		TreeMap<String, Label> map = new TreeMap<>();
		for (Label label : labels) {
			Label previous = map.putIfAbsent(label.key(), label);
			if (previous != null && !previous.equals(label)) {
				throw new IllegalArgumentException(
						"labels '" + previous + "' and '" + label + "' have the same key '" + label.key() + "'");
			}
		}
		return new Labels(map);
	}

	/**
	 * Labels from their textual forms.
	 * @param labels the labels
	 * @return the set
	 */
	public static Labels of(Label... labels) {
		return of(List.of(labels));
	}

	/**
	 * Parse labels ({@code source:key=value}, a missing source becomes {@code unspec}).
	 * @param texts the label texts
	 * @return the set
	 * @throws IllegalArgumentException naming the first bad label
	 */
	public static Labels parse(Collection<String> texts) {
		return parse(texts, Label.SOURCE_UNSPEC);
	}

	/**
	 * Parse labels, giving those without a source {@code defaultSource}.
	 * @param texts the label texts
	 * @param defaultSource source for labels that name none
	 * @return the set
	 * @throws IllegalArgumentException naming the first bad label
	 */
	public static Labels parse(Collection<String> texts, String defaultSource) {
		List<Label> labels = new ArrayList<>(texts.size());
		for (String text : texts) {
			labels.add(Label.parse(text, defaultSource));
		}
		return of(labels);
	}

	/**
	 * Labels from a Kubernetes label map, all with the given source.
	 * @param map Kubernetes labels
	 * @param source the source of every label, usually {@code k8s}
	 * @return the set
	 */
	public static Labels fromMap(Map<String, String> map, String source) {
		List<Label> labels = new ArrayList<>(map.size());
		map.forEach((key, value) -> labels.add(new Label(source, key, value)));
		return of(labels);
	}

	/**
	 * The label with this key, whatever its source.
	 * @param key a label key
	 * @return the label, if present
	 */
	public Optional<Label> get(String key) {
		return Optional.ofNullable(this.byKey.get(key));
	}

	/**
	 * The label a selector requirement refers to: same key, and same source unless the
	 * requirement's source is {@code any}.
	 * @param requirement source and key to look up (its value is ignored)
	 * @return the label, if present
	 */
	public Optional<Label> find(Label requirement) {
		return Optional.ofNullable(lookup(requirement));
	}

	/**
	 * As {@link #find(Label)}, without allocating: selectors call this for every
	 * identity.
	 * @param requirement source and key to look up (its value is ignored)
	 * @return the label, or {@code null}
	 */
	public Label lookup(Label requirement) {
		Label label = this.byKey.get(requirement.key());
		return (label != null && requirement.keyMatches(label)) ? label : null;
	}

	/**
	 * Whether the set contains this exact label, or for source {@code any} the key and
	 * value.
	 * @param label the label to look for
	 * @return whether it is present
	 */
	public boolean contains(Label label) {
		return find(label).map((found) -> found.value().equals(label.value())).orElse(false);
	}

	/**
	 * These labels plus {@code others}; a label of {@code others} replaces one with the
	 * same key.
	 * @param others labels that win on a key conflict
	 * @return the merged set
	 */
	public Labels with(Labels others) {
		TreeMap<String, Label> map = new TreeMap<>(this.byKey);
		map.putAll(others.byKey);
		return new Labels(map);
	}

	/**
	 * The labels relevant for a security identity under the given filter.
	 * @param filter the identity-relevant label filter
	 * @return the subset the filter keeps
	 */
	public Labels securityRelevant(LabelFilter filter) {
		TreeMap<String, Label> map = new TreeMap<>();
		this.byKey.forEach((key, label) -> {
			if (filter.isRelevant(label)) {
				map.put(key, label);
			}
		});
		return new Labels(map);
	}

	/**
	 * The labels in canonical order (by source, key, value).
	 * @return a sorted, unmodifiable list
	 */
	public List<Label> toList() {
		List<Label> list = new ArrayList<>(this.byKey.values());
		Collections.sort(list);
		return Collections.unmodifiableList(list);
	}

	public int size() {
		return this.byKey.size();
	}

	public boolean isEmpty() {
		return this.byKey.isEmpty();
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof Labels other) && this.byKey.equals(other.byKey);
	}

	@Override
	public int hashCode() {
		return this.byKey.hashCode();
	}

	/**
	 * The canonical form: labels sorted, comma separated, e.g.
	 * {@code k8s:app=web,k8s:io.kubernetes.pod.namespace=default}.
	 */
	@Override
	public String toString() {
		return toList().stream().map(Label::toString).collect(Collectors.joining(","));
	}

}
