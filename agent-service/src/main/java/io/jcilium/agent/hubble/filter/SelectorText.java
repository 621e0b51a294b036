package io.jcilium.agent.hubble.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.jcilium.common.selector.LabelSelector;
import io.jcilium.common.selector.Operator;
import io.jcilium.common.selector.Requirement;

/**
 * A label selector written as text, as {@code kubectl -l} and {@code hubble observe
 * --label} take it: comma-separated requirements {@code key}, {@code !key},
 * {@code key=value}, {@code key==value}, {@code key!=value}, {@code key in (a,b)},
 * {@code key notin (a,b)}. Keys may carry a source ({@code k8s:app}); without one any
 * source matches.
 */
final class SelectorText {

	private SelectorText() {
	}

	static LabelSelector parse(String field, String text) {
		if (text == null || text.isBlank()) {
			throw new InvalidFilterException(field, "the label selector is empty");
		}
		LabelSelector selector = LabelSelector.all();
		try {
			for (String term : terms(field, text)) {
				selector = selector.and(requirement(field, term.strip(), text));
			}
		}
		catch (InvalidFilterException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidFilterException(field, "invalid label selector '" + text + "': " + ex.getMessage());
		}
		return selector;
	}

	private static List<String> terms(String field, String text) {
		List<String> terms = new ArrayList<>();
		int depth = 0;
		int start = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '(') {
				depth++;
			}
			else if (c == ')') {
				depth--;
			}
			else if (c == ',' && depth == 0) {
				terms.add(text.substring(start, i));
				start = i + 1;
			}
			if (depth < 0 || depth > 1) {
				throw invalid(field, text, "unbalanced parentheses");
			}
		}
		if (depth != 0) {
			throw invalid(field, text, "unbalanced parentheses");
		}
		terms.add(text.substring(start));
		return terms;
	}

	private static Requirement requirement(String field, String term, String text) {
		if (term.isEmpty()) {
			throw invalid(field, text, "empty requirement");
		}
		String[] words = term.split("\\s+", 2);
		if (words.length == 2 && (words[1].startsWith("in ") || words[1].startsWith("in(")
				|| words[1].startsWith("notin ") || words[1].startsWith("notin("))) {
			boolean in = words[1].startsWith("in");
			String rest = words[1].substring(in ? 2 : 5).strip();
			if (!rest.startsWith("(") || !rest.endsWith(")")) {
				throw invalid(field, text, "'" + term + "' needs a value list in parentheses");
			}
			Set<String> values = new TreeSet<>();
			for (String value : rest.substring(1, rest.length() - 1).split(",")) {
				values.add(value.strip());
			}
			return new Requirement(Requirement.parseKey(words[0]), in ? Operator.IN : Operator.NOT_IN,
					new TreeSet<>(values));
		}
		if (term.startsWith("!")) {
			return new Requirement(Requirement.parseKey(term.substring(1).strip()), Operator.DOES_NOT_EXIST,
					new TreeSet<>());
		}
		int notEquals = term.indexOf("!=");
		if (notEquals > 0) {
			return requirement(term.substring(0, notEquals), Operator.NOT_IN, term.substring(notEquals + 2));
		}
		int equals = term.indexOf('=');
		if (equals > 0) {
			String value = term.substring(equals + 1);
			return requirement(term.substring(0, equals), Operator.IN,
					value.startsWith("=") ? value.substring(1) : value);
		}
		if (term.contains(" ") || term.contains("(") || term.contains(")")) {
			throw invalid(field, text, "cannot read '" + term + "'");
		}
		return new Requirement(Requirement.parseKey(term), Operator.EXISTS, new TreeSet<>());
	}

	private static Requirement requirement(String key, Operator operator, String value) {
		return new Requirement(Requirement.parseKey(key.strip()), operator, new TreeSet<>(Set.of(value.strip())));
	}

	private static InvalidFilterException invalid(String field, String text, String reason) {
		return new InvalidFilterException(field, "invalid label selector '" + text + "': " + reason);
	}

}
