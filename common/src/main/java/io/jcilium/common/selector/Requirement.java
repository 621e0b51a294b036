package io.jcilium.common.selector;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;

/**
 * One requirement of a label selector: a key (with a source, {@code any} by default), an
 * operator and values.
 *
 * @param key source and key; the value part is unused
 * @param operator the operator
 * @param values the values, sorted; empty for {@code Exists} and {@code DoesNotExist}
 */
public record Requirement(Label key, Operator operator, SortedSet<String> values) implements Comparable<Requirement> {

	public Requirement {
		values = Collections.unmodifiableSortedSet(new TreeSet<>(values));
		switch (operator) {
			case IN, NOT_IN -> {
				if (values.isEmpty()) {
					throw new IllegalArgumentException("selector requirement on '" + key.sourceAndKey()
							+ "' with operator " + operator.text() + " needs at least one value");
				}
			}
			case EXISTS, DOES_NOT_EXIST -> {
				if (!values.isEmpty()) {
					throw new IllegalArgumentException("selector requirement on '" + key.sourceAndKey()
							+ "' with operator " + operator.text() + " must not have values, got " + values);
				}
			}
		}
	}

	/**
	 * A requirement from its parts as written in a policy.
	 * @param key the key, optionally with a source prefix ({@code k8s:app}); none means
	 * {@code any}
	 * @param operator the operator text, e.g. {@code NotIn}
	 * @param values the values
	 * @return the requirement
	 * @throws IllegalArgumentException if the key, operator or values are invalid
	 */
	public static Requirement of(String key, String operator, Collection<String> values) {
		return new Requirement(parseKey(key), Operator.parse(operator), new TreeSet<>(values));
	}

	/**
	 * Parse a selector key: {@code source:key} or {@code key} (source {@code any}).
	 * @param key the key
	 * @return a label with an empty value carrying the source and key
	 */
	public static Label parseKey(String key) {
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException("selector key is empty");
		}
		if (key.indexOf('=') >= 0) {
			throw new IllegalArgumentException("selector key '" + key + "' must not contain '='");
		}
		return Label.parse(key, Label.SOURCE_ANY);
	}

	/**
	 * Whether the labels satisfy this requirement (Kubernetes semantics).
	 * @param labels endpoint labels
	 * @return whether they match
	 */
	public boolean matches(Labels labels) {
		Label found = labels.lookup(this.key);
		return switch (this.operator) {
			case IN -> found != null && this.values.contains(found.value());
			case NOT_IN -> found == null || !this.values.contains(found.value());
			case EXISTS -> found != null;
			case DOES_NOT_EXIST -> found == null;
		};
	}

	@Override
	public int compareTo(Requirement other) {
		int c = this.key.compareTo(other.key);
		if (c == 0) {
			c = this.operator.compareTo(other.operator);
		}
		return (c != 0) ? c : this.values.toString().compareTo(other.values.toString());
	}

	@Override
	public String toString() {
		return switch (this.operator) {
			case EXISTS -> this.key.sourceAndKey();
			case DOES_NOT_EXIST -> "!" + this.key.sourceAndKey();
			case IN -> this.key.sourceAndKey() + " in (" + String.join(",", this.values) + ")";
			case NOT_IN -> this.key.sourceAndKey() + " notin (" + String.join(",", this.values) + ")";
		};
	}

}
