package io.jcilium.identity.allocation;

/**
 * The store (Redis) cannot be reached or did not answer in time. The operation may
 * succeed when retried later.
 */
public class IdentityStoreUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public IdentityStoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
