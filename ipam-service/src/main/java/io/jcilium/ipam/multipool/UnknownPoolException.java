package io.jcilium.ipam.multipool;

/**
 * A request named a pool that is not configured.
 */
public class UnknownPoolException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	UnknownPoolException(String pool, Iterable<String> known) {
		super("IP pool '" + pool + "' does not exist; configured pools: " + String.join(", ", known));
	}

}
