package io.jcilium.agent.hubble.filter;

/**
 * A flow filter that cannot be used, naming the field (e.g.
 * {@code whitelist[0].source_ip}) and what is wrong with its value.
 */
public final class InvalidFilterException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String field;

	public InvalidFilterException(String field, String message) {
		super(field + ": " + message);
		this.field = field;
	}

	/** The field, as a path into the request. */
	public String field() {
		return this.field;
	}

}
