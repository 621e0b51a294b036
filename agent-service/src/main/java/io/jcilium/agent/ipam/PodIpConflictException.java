package io.jcilium.agent.ipam;

/**
 * A specific address was requested that another container owns, or the container already
 * owns a different address.
 */
public class PodIpConflictException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	PodIpConflictException(String message) {
		super(message);
	}

}
