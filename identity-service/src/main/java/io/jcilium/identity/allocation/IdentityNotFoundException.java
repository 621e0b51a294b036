package io.jcilium.identity.allocation;

/**
 * No identity has the given number or labels.
 */
public class IdentityNotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public IdentityNotFoundException(String message) {
		super(message);
	}

}
