package io.jcilium.agent.link;

/**
 * A kernel network operation failed; the message says which and why.
 */
public class LinkException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public LinkException(String message) {
		super(message);
	}

	public LinkException(String message, Throwable cause) {
		super(message, cause);
	}

}
