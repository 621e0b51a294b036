package io.jcilium.operator.identitygc;

/**
 * A GC pass could not complete; nothing was released by mistake.
 */
class IdentityGcException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	IdentityGcException(String message, Throwable cause) {
		super(message, cause);
	}

}
