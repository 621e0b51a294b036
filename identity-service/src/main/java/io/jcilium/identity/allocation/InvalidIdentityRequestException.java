package io.jcilium.identity.allocation;

/**
 * A request that can never succeed as sent: empty or malformed labels, an identity
 * outside every valid range, a missing node name. The message names the problem.
 */
public class InvalidIdentityRequestException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	public InvalidIdentityRequestException(String message) {
		super(message);
	}

}
