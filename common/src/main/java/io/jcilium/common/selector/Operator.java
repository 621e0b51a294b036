package io.jcilium.common.selector;

import java.util.Arrays;
import java.util.List;

/**
 * The operators of a Kubernetes label selector's {@code matchExpressions}.
 */
public enum Operator {

	/** The key is present and its value is one of the values. */
	IN("In"),

	/** The key is absent, or present with a value not among the values. */
	NOT_IN("NotIn"),

	/** The key is present, whatever its value. */
	EXISTS("Exists"),

	/** The key is absent. */
	DOES_NOT_EXIST("DoesNotExist");

	private final String text;

	Operator(String text) {
		this.text = text;
	}

	/**
	 * The operator as written in YAML, e.g. {@code NotIn}.
	 * @return the text form
	 */
	public String text() {
		return this.text;
	}

	/**
	 * Parse the operator as Kubernetes writes it (case-sensitive, as the API server).
	 * @param text e.g. {@code In}
	 * @return the operator
	 * @throws IllegalArgumentException naming the operator and the allowed ones
	 */
	public static Operator parse(String text) {
		for (Operator operator : values()) {
			if (operator.text.equals(text)) {
				return operator;
			}
		}
		throw new IllegalArgumentException("invalid selector operator '" + text + "', allowed: " + allowed());
	}

	static List<String> allowed() {
		return Arrays.stream(values()).map(Operator::text).toList();
	}

}
