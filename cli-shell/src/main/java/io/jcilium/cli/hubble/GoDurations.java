package io.jcilium.cli.hubble;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations the way upstream's CLI (Go) reads and prints them: {@code 1h30m},
 * {@code 90s}, {@code 250ms} in, {@code 16m40s}, {@code 1h0m0s} out.
 */
final class GoDurations {

	private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

	private GoDurations() {
	}

	/**
	 * @throws IllegalArgumentException if the text is not a duration
	 */
	static Duration parse(String text) {
		Matcher part = PART.matcher(text);
		double nanos = 0;
		int end = 0;
		while (part.lookingAt()) {
			nanos += Double.parseDouble(part.group(1)) * unitNanos(part.group(2));
			end = part.end();
			part.region(end, text.length());
		}
		if (end == 0 || end != text.length()) {
			throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 30s, 5m, 1h30m)");
		}
		return Duration.ofNanos((long) nanos);
	}

	/** Go's {@code time.Duration.String()} for whole seconds. */
	static String format(Duration duration) {
		long seconds = duration.getSeconds();
		if (seconds == 0) {
			return "0s";
		}
		long hours = seconds / 3600;
		long minutes = (seconds % 3600) / 60;
		long rest = seconds % 60;
		if (hours > 0) {
			return hours + "h" + minutes + "m" + rest + "s";
		}
		return (minutes > 0) ? minutes + "m" + rest + "s" : rest + "s";
	}

	private static double unitNanos(String unit) {
		return switch (unit) {
			case "ns" -> 1;
			case "us", "µs" -> 1e3;
			case "ms" -> 1e6;
			case "s" -> 1e9;
			case "m" -> 60e9;
			default -> 3600e9;
		};
	}

}
