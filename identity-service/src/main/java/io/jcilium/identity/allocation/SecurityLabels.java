package io.jcilium.identity.allocation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.jcilium.common.label.Label;
import io.jcilium.common.label.LabelFilter;

/**
 * Turns the labels a client sends into the canonical, sorted, security-relevant form an
 * identity is keyed by, with the shared label model of {@code common}: the agents choose
 * the labels they send with the same {@link LabelFilter}, so both sides agree on what an
 * identity is.
 * <p>
 * The wire form is stricter than {@link Label#parse}: a label must name its source
 * ({@code app=web} could be meant as any source), and {@code ;} is refused because it
 * joins the labels of a set in the store.
 */
final class SecurityLabels {

	/** Labels remembered by {@link #parsed}. */
	private static final int MEMO_SIZE = 16_384;

	private final LabelFilter filter;

	private final LabelLimits limits;

	private final Map<String, Parsed> memo = new ConcurrentHashMap<>();

	SecurityLabels(LabelFilter filter) {
		this(filter, LabelLimits.defaults());
	}

	SecurityLabels(LabelFilter filter, LabelLimits limits) {
		this.filter = filter;
		this.limits = limits;
	}

	/**
	 * Returns the canonical labels.
	 * @param labels labels as sent, each {@code source:key=value} or {@code source:key}
	 * @return the canonical labels, sorted, duplicates and labels the filter excludes
	 * removed, never empty
	 * @throws InvalidIdentityRequestException naming the problem when a label is
	 * malformed or nothing security-relevant remains
	 */
	List<String> canonicalise(Collection<String> labels) {
		if (labels == null || labels.isEmpty()) {
			throw new InvalidIdentityRequestException(
					"labels must not be empty: an identity needs at least one security-relevant label");
		}
		if (labels.size() > this.limits.maxLabels()) {
			throw new InvalidIdentityRequestException(labels.size() + " labels are more than "
					+ LabelLimits.MAX_LABELS_PROPERTY + "=" + this.limits.maxLabels() + " allows in one identity");
		}
		Map<String, Label> byKey = new HashMap<>();
		List<Parsed> relevant = new ArrayList<>(labels.size());
		for (String text : labels) {
			Parsed parsed = parsed(text);
			Label previous = byKey.putIfAbsent(parsed.label.key(), parsed.label);
			if (previous != null && !previous.equals(parsed.label)) {
				throw new InvalidIdentityRequestException("labels " + previous + " and " + parsed.label
						+ " give the key " + parsed.label.key() + " two values");
			}
			if (previous == null && parsed.relevant) {
				relevant.add(parsed);
			}
		}
		if (relevant.isEmpty()) {
			throw new InvalidIdentityRequestException("no security-relevant label left in " + labels
					+ " after dropping those the label filter excludes (" + this.filter + ")");
		}
		// The canonical order of Labels#toList: by source, key, value.
		relevant.sort((a, b) -> a.label.compareTo(b.label));
		List<String> canonical = new ArrayList<>(relevant.size());
		relevant.forEach((parsed) -> canonical.add(parsed.canonical));
		return canonical;
	}

	/**
	 * The label parsed and judged by the filter, from the memo when it was seen before:
	 * agents send the same labels (namespace, app, ...) again and again, and the parser's
	 * and the filter's regular expressions cost more than the rest of an allocation's own
	 * work. Malformed labels are not kept.
	 */
	private Parsed parsed(String text) {
		Parsed parsed = this.memo.get(text);
		if (parsed == null) {
			Label label = parse(text);
			parsed = new Parsed(label, label.toString(), this.filter.isRelevant(label));
			if (this.memo.size() >= MEMO_SIZE) {
				// Crude but bounded: label sets churn far slower than this fills.
				this.memo.clear();
			}
			this.memo.put(text, parsed);
		}
		return parsed;
	}

	private Label parse(String text) {
		if (text == null || text.isEmpty()) {
			throw malformed(text, "it is empty");
		}
		if (text.length() > this.limits.maxLabelLength()) {
			// Not echoed whole: the label may be megabytes.
			throw new InvalidIdentityRequestException(
					"label '" + text.substring(0, 40) + "...' has " + text.length() + " characters, more than "
							+ LabelLimits.MAX_LABEL_LENGTH_PROPERTY + "=" + this.limits.maxLabelLength() + " allows");
		}
		int colon = text.indexOf(':');
		int equals = text.indexOf('=');
		if (colon < 0 || (equals >= 0 && equals < colon)) {
			throw malformed(text, "it has no source");
		}
		String source = text.substring(0, colon);
		if (!Label.SOURCES.contains(source) || Label.SOURCE_ANY.equals(source)) {
			throw malformed(text, "source '" + source + "' is not one of "
					+ List.of(Label.SOURCE_K8S, Label.SOURCE_RESERVED, Label.SOURCE_CIDR, Label.SOURCE_UNSPEC));
		}
		if (text.indexOf(';') >= 0) {
			String part = (equals < 0) ? "key '" + text.substring(colon + 1) + "'"
					: "value '" + text.substring(equals + 1) + "'";
			throw malformed(text, part + " contains ';', which separates labels in the store");
		}
		try {
			return Label.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw malformed(text, ex.getMessage());
		}
	}

	private static InvalidIdentityRequestException malformed(String label, String why) {
		return new InvalidIdentityRequestException(
				"label '" + label + "' is malformed (" + why + "); expected source:key=value, e.g. k8s:app=web");
	}

	private record Parsed(Label label, String canonical, boolean relevant) {
	}

}
