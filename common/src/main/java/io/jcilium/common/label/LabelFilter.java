package io.jcilium.common.label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which labels are relevant for a security identity, as upstream's
 * {@code pkg/labelsfilter} and its {@code --labels} option.
 * <p>
 * Each pattern is {@code [source:][!]regex}; the regex is anchored at the start of the
 * key. A {@code !} pattern excludes, the others include. A label is relevant if it
 * matches an include over a longer section of the key than the shortest exclude it
 * matches, or if no include pattern was configured by the user and no exclude matches. So
 * the defaults keep {@code io.kubernetes.pod.namespace} although they exclude
 * {@code io.kubernetes}.
 */
public final class LabelFilter {

	/**
	 * Upstream's default label patterns (Cilium's documented defaults for
	 * identity-relevant labels, plus the reserved and cluster labels it always keeps).
	 */
	public static final List<String> DEFAULT_PATTERNS = List.of("reserved:.*", "io\\.kubernetes\\.pod\\.namespace",
			"io\\.cilium\\.k8s\\.namespace\\.labels", "app\\.kubernetes\\.io", "io\\.cilium\\.k8s\\.policy\\.cluster",
			"!io\\.kubernetes", "!kubernetes\\.io", "!statefulset\\.kubernetes\\.io/pod-name",
			"!apps\\.kubernetes\\.io/pod-index", "!batch\\.kubernetes\\.io/job-completion-index",
			"!batch\\.kubernetes\\.io/controller-uid", "!.*beta\\.kubernetes\\.io", "!k8s\\.io",
			"!pod-template-generation", "!pod-template-hash", "!controller-revision-hash", "!annotation.*",
			"!controller-uid", "!etcd_node");

	private static final LabelFilter DEFAULTS = new LabelFilter(parseAll(DEFAULT_PATTERNS), false);

	private final List<Prefix> prefixes;

	// True once the user configured an include pattern: then only included labels are
	// relevant.
	private final boolean includeOnly;

	private LabelFilter(List<Prefix> prefixes, boolean includeOnly) {
		this.prefixes = prefixes;
		this.includeOnly = includeOnly;
	}

	/**
	 * The default filter.
	 * @return upstream's default identity-relevant label filter
	 */
	public static LabelFilter defaults() {
		return DEFAULTS;
	}

	/**
	 * The default filter plus user patterns, as upstream's {@code --labels} option.
	 * @param patterns patterns such as {@code k8s:app}, {@code k8s:!job-name},
	 * {@code !controller-uid}
	 * @return the filter
	 * @throws IllegalArgumentException if a pattern is empty, has an unknown source or is
	 * not a valid regular expression
	 */
	public static LabelFilter withPatterns(List<String> patterns) {
		List<Prefix> all = new ArrayList<>(DEFAULTS.prefixes);
		boolean includeOnly = false;
		for (String pattern : patterns) {
			if (pattern == null || pattern.isBlank()) {
				continue;
			}
			Prefix prefix = Prefix.parse(pattern);
			includeOnly |= !prefix.exclude();
			all.add(prefix);
		}
		return new LabelFilter(Collections.unmodifiableList(all), includeOnly);
	}

	/**
	 * Whether the label is relevant for a security identity.
	 * @param label an endpoint label
	 * @return whether the filter keeps it
	 */
	public boolean isRelevant(Label label) {
		int included = 0;
		int excluded = 0;
		for (Prefix prefix : this.prefixes) {
			int length = prefix.matchLength(label);
			if (length < 0) {
				continue;
			}
			if (prefix.exclude()) {
				// The shortest matching exclude counts, the longest matching include.
				excluded = (excluded == 0 || length < excluded) ? length : excluded;
			}
			else {
				included = Math.max(included, length);
			}
		}
		return (!this.includeOnly && excluded == 0) || included > excluded;
	}

	@Override
	public String toString() {
		return this.prefixes.toString();
	}

	private static List<Prefix> parseAll(List<String> patterns) {
		return patterns.stream().map(Prefix::parse).toList();
	}

	private record Prefix(String source, boolean exclude, Pattern regex) {

		static Prefix parse(String text) {
			String source = Label.SOURCE_ANY;
			String rest = text;
			int colon = text.indexOf(':');
			if (colon >= 0) {
				source = text.substring(0, colon);
				rest = text.substring(colon + 1);
				if (!Label.SOURCES.contains(source)) {
					throw new IllegalArgumentException("label pattern '" + text + "' has unknown source '" + source
							+ "', expected one of " + Label.SOURCES.stream().sorted().toList());
				}
			}
			boolean exclude = rest.startsWith("!");
			String regex = exclude ? rest.substring(1) : rest;
			if (regex.isEmpty()) {
				throw new IllegalArgumentException("label pattern '" + text + "' has an empty pattern");
			}
			try {
				return new Prefix(source, exclude, Pattern.compile(regex));
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException(
						"label pattern '" + text + "' is not a valid regular expression: " + ex.getDescription(), ex);
			}
		}

		// Length of the matched section at the start of the key, or -1 when it does not
		// match.
		// A zero-length match still counts as one so that it registers as a match.
		int matchLength(Label label) {
			if (!Label.SOURCE_ANY.equals(this.source) && !this.source.equals(label.source())) {
				return -1;
			}
			Matcher matcher = this.regex.matcher(label.key());
			return matcher.lookingAt() ? Math.max(matcher.end(), 1) : -1;
		}

		@Override
		public String toString() {
			return this.source + ":" + (this.exclude ? "!" : "") + this.regex.pattern();
		}

	}

}
