package io.jcilium.identity.allocation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The stand-in label canonicaliser until {@code common}'s label model is available:
 * validates {@code source:key=value} strings, drops keys that carry no security meaning
 * (rollout hashes and the like, which would otherwise give every rollout a fresh
 * identity) and sorts by {@code source:key}.
 */
final class SourceKeyValueLabels implements LabelCanonicaliser {

	static final Set<String> SOURCES = Set.of("k8s", "reserved", "cidr", "unspec");

	/** Kubernetes keys that change per rollout or pod and say nothing about security. */
	static final List<String> DEFAULT_IGNORED_KEYS = List.of("pod-template-hash", "pod-template-generation",
			"controller-revision-hash", "controller-uid", "batch.kubernetes.io/controller-uid",
			"statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index");

	private static final int MAX_LABEL_LENGTH = 512;

	// ':' is allowed inside keys for IPv6 CIDR labels; ';' never, it separates labels
	// in the store.
	private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/:-]*[A-Za-z0-9])?");

	private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?");

	private final Set<String> ignoredKeys;

	SourceKeyValueLabels(Collection<String> ignoredKeys) {
		this.ignoredKeys = Set.copyOf(ignoredKeys);
	}

	@Override
	public List<String> canonicalise(Collection<String> labels) {
		if (labels == null || labels.isEmpty()) {
			throw new InvalidIdentityRequestException(
					"labels must not be empty: an identity needs at least one security-relevant label");
		}
		Map<String, String> bySourceKey = new TreeMap<>();
		for (String label : labels) {
			Parsed parsed = parse(label);
			if (parsed.source().equals("k8s") && this.ignoredKeys.contains(parsed.key())) {
				continue;
			}
			String sourceKey = parsed.source() + ":" + parsed.key();
			String previous = bySourceKey.putIfAbsent(sourceKey, parsed.value());
			if (previous != null && !previous.equals(parsed.value())) {
				throw new InvalidIdentityRequestException("labels " + render(sourceKey, previous) + " and "
						+ render(sourceKey, parsed.value()) + " give the key " + sourceKey + " two values");
			}
		}
		if (bySourceKey.isEmpty()) {
			throw new InvalidIdentityRequestException("no security-relevant label left in " + labels
					+ " after dropping the ignored keys " + this.ignoredKeys);
		}
		List<String> canonical = new ArrayList<>(bySourceKey.size());
		bySourceKey.forEach((sourceKey, value) -> canonical.add(render(sourceKey, value)));
		return canonical;
	}

	private static Parsed parse(String label) {
		if (label == null || label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
			throw malformed(label, "it is empty or longer than " + MAX_LABEL_LENGTH + " characters");
		}
		int colon = label.indexOf(':');
		if (colon < 0) {
			throw malformed(label, "it has no source");
		}
		String source = label.substring(0, colon);
		if (!SOURCES.contains(source)) {
			throw malformed(label, "source '" + source + "' is not one of " + SOURCES);
		}
		String rest = label.substring(colon + 1);
		int equals = rest.indexOf('=');
		String key = (equals < 0) ? rest : rest.substring(0, equals);
		String value = (equals < 0) ? "" : rest.substring(equals + 1);
		if (!KEY.matcher(key).matches()) {
			throw malformed(label,
					"key '" + key + "' is empty or has characters other than letters, digits, '.', '_', '-', '/'");
		}
		if (!VALUE.matcher(value).matches()) {
			throw malformed(label, "value '" + value + "' has characters other than letters, digits, '.', '_', '-'");
		}
		return new Parsed(source, key, value);
	}

	private static InvalidIdentityRequestException malformed(String label, String why) {
		return new InvalidIdentityRequestException(
				"label '" + label + "' is malformed (" + why + "); expected source:key=value, e.g. k8s:app=web");
	}

	private static String render(String sourceKey, String value) {
		return value.isEmpty() ? sourceKey : sourceKey + "=" + value;
	}

	private record Parsed(String source, String key, String value) {
	}

}
