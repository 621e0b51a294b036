package io.jcilium.bgp.config;

/**
 * A lab file that cannot be run, with the field and what is wrong with it.
 */
public final class LabFileException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public LabFileException(String message) {
		super(message);
	}

}
