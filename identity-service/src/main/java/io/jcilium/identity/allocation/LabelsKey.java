package io.jcilium.identity.allocation;

import java.util.Arrays;
import java.util.List;

/**
 * The single-string form of a canonical label set, as the store keeps it. Labels are
 * joined with {@code ;}, which the canonicaliser never lets into a label.
 */
final class LabelsKey {

	static final char SEPARATOR = ';';

	private LabelsKey() {
	}

	static String of(List<String> canonicalLabels) {
		return String.join(String.valueOf(SEPARATOR), canonicalLabels);
	}

	static List<String> labels(String labelsKey) {
		return Arrays.asList(labelsKey.split(String.valueOf(SEPARATOR)));
	}

}
