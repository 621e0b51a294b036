package io.jcilium.identity.client;

/**
 * identity-service (or the Redis behind it) cannot answer now: unreachable, failing, too
 * slow, or the client's circuit breaker is open after such failures. The message names
 * what is down and since when. Worth retrying later; the client itself already retried.
 */
public class IdentityUnavailableException extends IdentityClientException {

	private static final long serialVersionUID = 1L;

	public IdentityUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
