package io.jcilium.bgp.interop;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.bgp.wire.Prefix;

/**
 * Reads prefixes out of a routing daemon's CLI output.
 */
final class Cli {

	private static final Pattern PREFIX = Pattern
		.compile("(?<![0-9a-fA-F:.])((?:\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}|[0-9a-fA-F]{1,4}:[0-9a-fA-F:]*/\\d{1,3})");

	private Cli() {
	}

	/** Every IPv4 or IPv6 prefix written in CIDR form in the text. */
	static Set<Prefix> prefixes(String output) {
		Set<Prefix> prefixes = new TreeSet<>();
		Matcher matcher = PREFIX.matcher(output);
		while (matcher.find()) {
			prefixes.add(Prefix.parse(matcher.group(1)));
		}
		return prefixes;
	}

}
