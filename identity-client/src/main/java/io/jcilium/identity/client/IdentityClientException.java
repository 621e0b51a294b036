package io.jcilium.identity.client;

/**
 * A call to identity-service failed; the message says why, in the service's words where
 * it gave some.
 */
public class IdentityClientException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public IdentityClientException(String message, Throwable cause) {
		super(message, cause);
	}

}
