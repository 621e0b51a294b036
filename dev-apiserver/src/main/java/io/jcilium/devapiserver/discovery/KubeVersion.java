package io.jcilium.devapiserver.discovery;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' API version priority: GA before beta before alpha, higher numbers first
 * ({@code v2 > v1 > v2beta1 > v1beta1 > v2alpha1}); anything else last, alphabetically.
 * The first version in this order is a group's preferred version.
 *
 * @param major the major number
 * @param stability 0 for GA, 1 beta, 2 alpha, 3 unparseable
 * @param minor the beta/alpha number
 * @param text the version as written
 */
record KubeVersion(int major, int stability, int minor, String text) implements Comparable<KubeVersion> {

	private static final Pattern FORM = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

	static KubeVersion parse(String version) {
		Matcher matcher = FORM.matcher(version);
		if (!matcher.matches()) {
			return new KubeVersion(0, 3, 0, version);
		}
		int stability = (matcher.group(2) == null) ? 0 : matcher.group(2).equals("beta") ? 1 : 2;
		int minor = (matcher.group(3) == null) ? 0 : Integer.parseInt(matcher.group(3));
		return new KubeVersion(Integer.parseInt(matcher.group(1)), stability, minor, version);
	}

	@Override
	public int compareTo(KubeVersion other) {
		if (this.stability != other.stability) {
			return Integer.compare(this.stability, other.stability);
		}
		if (this.stability == 3) {
			return this.text.compareTo(other.text);
		}
		if (this.major != other.major) {
			return Integer.compare(other.major, this.major);
		}
		return Integer.compare(other.minor, this.minor);
	}

}
