package io.jcilium.identity.client;

/**
 * identity-service refused the request as invalid (gRPC {@code INVALID_ARGUMENT}), for
 * example malformed labels; the message is the service's. Retrying the same request
 * cannot help.
 */
public class InvalidIdentityRequestException extends IdentityClientException {

	private static final long serialVersionUID = 1L;

	public InvalidIdentityRequestException(String message, Throwable cause) {
		super(message, cause);
	}

}
