package io.jcilium.agent.datapath.maps;

/**
 * A policy change that did not reach an endpoint's policy map: refused because it does
 * not fit, or failed and rolled back. Either way the map holds the previous policy.
 */
public class PolicyMapWriteException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PolicyMapWriteException(String message, Throwable cause) {
		super(message, cause);
	}

}
