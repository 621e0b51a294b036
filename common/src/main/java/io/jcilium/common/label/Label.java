package io.jcilium.common.label;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One label of an endpoint or identity: {@code source:key=value}.
 * <p>
 * The source says where a label came from ({@code k8s} for pod and namespace labels,
 * {@code reserved} for Cilium's reserved identities, {@code cidr} for CIDR identities,
 * {@code unspec} when unknown). Selectors may also use {@code any}, which matches a key
 * from every source, as upstream Cilium's EndpointSelector does.
 *
 * @param source where the label came from, one of {@link #SOURCES}
 * @param key the label key, never empty
 * @param value the label value, possibly empty
 */
public record Label(String source, String key, String value) implements Comparable<Label> {

	/** Kubernetes pod and namespace labels. */
	public static final String SOURCE_K8S = "k8s";

	/** Labels of Cilium's reserved identities ({@code reserved:host}, ...). */
	public static final String SOURCE_RESERVED = "reserved";

	/** Labels of CIDR identities ({@code cidr:10.0.0.0/8}). */
	public static final String SOURCE_CIDR = "cidr";

	/** A label whose source is not known. */
	public static final String SOURCE_UNSPEC = "unspec";

	/** Only meaningful in selectors: matches the key from any source. */
	public static final String SOURCE_ANY = "any";

	/** Every source a label may carry. */
	public static final Set<String> SOURCES = Set.of(SOURCE_K8S, SOURCE_RESERVED, SOURCE_CIDR, SOURCE_UNSPEC,
			SOURCE_ANY);

	// Kubernetes keys are [prefix/]name; Cilium adds derived keys
	// (io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name) and CIDR keys with ':'
	// for IPv6.
	private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/:-]*[A-Za-z0-9.])?");

	// Values are free-form in Cilium (CIDR labels, namespace label values); refuse only
	// what
	// cannot round-trip through the textual form.
	private static final Pattern VALUE = Pattern.compile("[^\\s=,]*");

	public Label {
		if (source == null || !SOURCES.contains(source)) {
			throw new IllegalArgumentException("label '" + describe(source, key, value) + "' has unknown source '"
					+ source + "', expected one of " + sortedSources());
		}
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException("label '" + describe(source, key, value) + "' has an empty key");
		}
		if (!KEY.matcher(key).matches()) {
			throw new IllegalArgumentException("label '" + describe(source, key, value) + "' has an invalid key '" + key
					+ "': it must start and end with a letter or digit and contain only letters, digits, "
					+ "'.', '_', '-', '/' and ':'");
		}
		value = (value != null) ? value : "";
		if (!VALUE.matcher(value).matches()) {
			throw new IllegalArgumentException("label '" + describe(source, key, value) + "' has an invalid value '"
					+ value + "': whitespace, '=' and ',' are not allowed");
		}
	}

	/**
	 * Parse {@code source:key=value}, {@code source:key}, {@code key=value} or
	 * {@code key}; a missing source becomes {@code unspec}.
	 * @param text the label text
	 * @return the label
	 * @throws IllegalArgumentException if the text is not a valid label
	 */
	public static Label parse(String text) {
		return parse(text, SOURCE_UNSPEC);
	}

	/**
	 * Parse a label, giving it {@code defaultSource} when the text names none.
	 * @param text the label text
	 * @param defaultSource the source to use when the text has no {@code source:} prefix
	 * @return the label
	 * @throws IllegalArgumentException if the text is not a valid label
	 */
	public static Label parse(String text, String defaultSource) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("label '" + text + "' is empty");
		}
		String source = defaultSource;
		String rest = text;
		// The source ends at the first ':' only if that comes before any '=': values may
		// hold ':'.
		int colon = text.indexOf(':');
		int equals = text.indexOf('=');
		if (colon >= 0 && (equals < 0 || colon < equals)) {
			source = text.substring(0, colon).toLowerCase(Locale.ROOT);
			rest = text.substring(colon + 1);
			if (!SOURCES.contains(source)) {
				throw new IllegalArgumentException(
						"label '" + text + "' has unknown source '" + source + "', expected one of " + sortedSources());
			}
		}
		int eq = rest.indexOf('=');
		String key = (eq >= 0) ? rest.substring(0, eq) : rest;
		String value = (eq >= 0) ? rest.substring(eq + 1) : "";
		if (key.isEmpty()) {
			throw new IllegalArgumentException("label '" + text + "' has an empty key");
		}
		return new Label(source, key, value);
	}

	/**
	 * A Kubernetes label ({@code k8s:key=value}).
	 * @param key the key
	 * @param value the value
	 * @return the label
	 */
	public static Label k8s(String key, String value) {
		return new Label(SOURCE_K8S, key, value);
	}

	/**
	 * A reserved label ({@code reserved:name}).
	 * @param name the reserved name, e.g. {@code host}
	 * @return the label
	 */
	public static Label reserved(String name) {
		return new Label(SOURCE_RESERVED, name, "");
	}

	/**
	 * Whether this label, used as a selector requirement, matches {@code other}: the keys
	 * are equal and the sources are equal or this one is {@code any}.
	 * @param other a label of an endpoint
	 * @return whether the key and source match (values are not compared)
	 */
	public boolean keyMatches(Label other) {
		return this.key.equals(other.key) && (SOURCE_ANY.equals(this.source) || this.source.equals(other.source));
	}

	/**
	 * The label without its value, e.g. {@code k8s:app}.
	 * @return source and key
	 */
	public String sourceAndKey() {
		return this.source + ":" + this.key;
	}

	@Override
	public int compareTo(Label other) {
		int c = this.source.compareTo(other.source);
		if (c == 0) {
			c = this.key.compareTo(other.key);
		}
		return (c != 0) ? c : this.value.compareTo(other.value);
	}

	/**
	 * The canonical form {@code source:key=value}, or {@code source:key} with an empty
	 * value.
	 */
	@Override
	public String toString() {
		return this.value.isEmpty() ? sourceAndKey() : sourceAndKey() + "=" + this.value;
	}

	private static String describe(String source, String key, String value) {
		String text = ((source != null) ? source + ":" : "") + ((key != null) ? key : "");
		return (value == null || value.isEmpty()) ? text : text + "=" + value;
	}

	private static String sortedSources() {
		return SOURCES.stream().sorted().toList().toString();
	}

}
