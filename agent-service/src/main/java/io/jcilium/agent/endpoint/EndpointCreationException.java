package io.jcilium.agent.endpoint;

/**
 * An endpoint could not be created; {@link #stage()} says which step failed, and
 * everything done before it has been undone.
 */
public class EndpointCreationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** The step of endpoint creation that failed. */
	public enum Stage {

		/** No pod address could be allocated. */
		IP_ALLOCATION,

		/** The veth pair, address or routes could not be set up. */
		LINK,

		/** The security identity could not be resolved. */
		IDENTITY,

		/** The datapath could not be regenerated. */
		DATAPATH,

		/** The endpoint could not be written to the state directory. */
		STATE,

		/**
		 * The endpoint did not become ready within the sync timeout (a transient
		 * condition: identity or policy not there yet); it was removed.
		 */
		SYNC_TIMEOUT

	}

	private final Stage stage;

	public EndpointCreationException(Stage stage, String message, Throwable cause) {
		super(message, cause);
		this.stage = stage;
	}

	public Stage stage() {
		return this.stage;
	}

}
