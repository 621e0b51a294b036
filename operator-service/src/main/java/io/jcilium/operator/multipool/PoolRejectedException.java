package io.jcilium.operator.multipool;

/**
 * ipam-service refused a request for a reason the user must act on; the message says
 * which.
 */
class PoolRejectedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	PoolRejectedException(String message, Throwable cause) {
		super(message, cause);
	}

}
