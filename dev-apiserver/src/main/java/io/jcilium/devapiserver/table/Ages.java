package io.jcilium.devapiserver.table;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** kubectl's AGE column: {@code 45s}, {@code 3m12s}, {@code 5h2m}, {@code 3d}. */
final class Ages {

	private Ages() {
	}

	static String since(String timestamp, Instant now) {
		if (timestamp == null || timestamp.isEmpty()) {
			return "<unknown>";
		}
		try {
			return format(Duration.between(Instant.parse(timestamp), now));
		}
		catch (DateTimeParseException ex) {
			return "<unknown>";
		}
	}

	static String format(Duration age) {
		long seconds = Math.max(0, age.getSeconds());
		long minutes = seconds / 60;
		long hours = minutes / 60;
		long days = hours / 24;
		if (seconds < 120) {
			return seconds + "s";
		}
		if (minutes < 10) {
			return (seconds % 60 == 0) ? minutes + "m" : minutes + "m" + (seconds % 60) + "s";
		}
		if (hours < 3) {
			return minutes + "m";
		}
		if (hours < 8) {
			return (minutes % 60 == 0) ? hours + "h" : hours + "h" + (minutes % 60) + "m";
		}
		if (hours < 48) {
			return hours + "h";
		}
		if (days < 8) {
			return (hours % 24 == 0) ? days + "d" : days + "d" + (hours % 24) + "h";
		}
		return (days < 365 * 2) ? days + "d" : (days / 365) + "y";
	}

}
