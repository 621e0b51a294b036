package io.jcilium.agent.ipam;

/**
 * The node's pod CIDR has no free address left.
 */
public class PodIpExhaustedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	PodIpExhaustedException(String message) {
		super(message);
	}

}
