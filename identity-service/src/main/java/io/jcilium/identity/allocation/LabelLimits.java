package io.jcilium.identity.allocation;

/**
 * How much a client may send as the labels of one identity. Both are refused with
 * INVALID_ARGUMENT naming the setting, before any parsing: labels arrive from every node,
 * and an identity's labels travel to every agent with each change.
 *
 * @param maxLabels most labels in one request
 * @param maxLabelLength most characters in one label
 */
public record LabelLimits(int maxLabels, int maxLabelLength) {

	/** The property names in the messages, so that an operator knows what to raise. */
	static final String MAX_LABELS_PROPERTY = "jcilium.identity.allocation.max-labels";

	static final String MAX_LABEL_LENGTH_PROPERTY = "jcilium.identity.allocation.max-label-length";

	public LabelLimits {
		if (maxLabels < 1 || maxLabelLength < 1) {
			throw new IllegalArgumentException(MAX_LABELS_PROPERTY + " (" + maxLabels + ") and "
					+ MAX_LABEL_LENGTH_PROPERTY + " (" + maxLabelLength + ") must be at least 1");
		}
	}

	/** 64 labels of at most 512 characters. */
	public static LabelLimits defaults() {
		return new LabelLimits(64, 512);
	}

}
