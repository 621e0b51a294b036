package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.common.policy.model.PolicySource;

/**
 * The rules one map entry is derived from, each as often as it derives the entry (a
 * multiset: one rule may yield the same entry through two of its peer selectors), as
 * upstream's {@code DerivedFromRules}. An entry derived by one rule once, by far the
 * common case, holds a {@link Single} shared by every entry of that rule use, so keeping
 * provenance costs no allocation per entry there.
 */
abstract sealed class Derivation permits Derivation.Single, Derivation.Several {

	/**
	 * This derivation plus one more by the given rule.
	 * @return the derivation to keep (possibly this one, changed)
	 */
	abstract Derivation plus(Single rule);

	/**
	 * This derivation less one by the given rule.
	 * @return the derivation to keep, or {@code null} when no rule derives the entry any
	 * more
	 */
	abstract Derivation minus(PolicySource rule);

	/** The distinct rules, sorted. */
	abstract List<PolicySource> rules();

	/** Derived once by one rule; immutable, shared. */
	static final class Single extends Derivation {

		private final PolicySource rule;

		private final List<PolicySource> rules;

		Single(PolicySource rule) {
			this.rule = rule;
			this.rules = List.of(rule);
		}

		PolicySource rule() {
			return this.rule;
		}

		@Override
		Derivation plus(Single other) {
			return new Several(this.rule, other.rule);
		}

		@Override
		Derivation minus(PolicySource other) {
			return this.rule.equals(other) ? null : this;
		}

		@Override
		List<PolicySource> rules() {
			return this.rules;
		}

	}

	/** Derived more than once; owned by one entry, changed in place. */
	static final class Several extends Derivation {

		private final List<PolicySource> occurrences = new ArrayList<>(2);

		Several(PolicySource first, PolicySource second) {
			this.occurrences.add(first);
			this.occurrences.add(second);
		}

		@Override
		Derivation plus(Single other) {
			this.occurrences.add(other.rule());
			return this;
		}

		@Override
		Derivation minus(PolicySource other) {
			this.occurrences.remove(other);
			return this.occurrences.isEmpty() ? null : this;
		}

		@Override
		List<PolicySource> rules() {
			return this.occurrences.stream().distinct().sorted().toList();
		}

	}

}
