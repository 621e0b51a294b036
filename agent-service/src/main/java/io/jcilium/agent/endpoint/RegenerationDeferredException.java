package io.jcilium.agent.endpoint;

/**
 * Thrown by an {@link EndpointDatapath} that cannot regenerate yet for a reason that will
 * pass on its own (for example policy inputs still syncing after a restart). The endpoint
 * waits in {@code waiting-to-regenerate} with the message as its reason and is retried; a
 * CNI ADD waiting for it is not failed.
 */
public class RegenerationDeferredException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public RegenerationDeferredException(String message) {
		super(message);
	}

}
