package io.jcilium.agent.service.lb;

/**
 * A service change that does not fit the LB maps: refused before anything is written, so
 * what was programmed before stays in force.
 */
public class LbMapFullException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public LbMapFullException(String message) {
		super(message);
	}

}
