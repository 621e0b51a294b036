package io.jcilium.agent.endpoint;

import java.util.EnumSet;
import java.util.Set;

/**
 * Endpoint states with upstream's names (as shown by {@code cilium endpoint list}) and
 * the transitions the lifecycle allows; anything else is a bug and is refused.
 */
public enum EndpointState {

	/** Labels known, security identity not yet resolved. */
	WAITING_FOR_IDENTITY("waiting-for-identity"),

	/** Identity known, datapath regeneration queued. */
	WAITING_TO_REGENERATE("waiting-to-regenerate"),

	/** Datapath programs and maps being written. */
	REGENERATING("regenerating"),

	/** Traffic flows with the endpoint's identity and policy. */
	READY("ready"),

	/** The last regeneration failed; the reason says why. */
	NOT_READY("not-ready"),

	/** Being read back from the state directory after an agent restart. */
	RESTORING("restoring"),

	/** Being torn down (CNI DEL). */
	DISCONNECTING("disconnecting"),

	/** Torn down; about to be forgotten. */
	DISCONNECTED("disconnected"),

	/** Could not be set up at all. */
	INVALID("invalid");

	private final String apiName;

	EndpointState(String apiName) {
		this.apiName = apiName;
	}

	/** The name used on the REST API and in the CLI. */
	public String apiName() {
		return this.apiName;
	}

	/** Whether the lifecycle may move from this state to {@code next}. */
	public boolean canMoveTo(EndpointState next) {
		return successors().contains(next);
	}

	private Set<EndpointState> successors() {
		return switch (this) {
			case WAITING_FOR_IDENTITY -> EnumSet.of(WAITING_TO_REGENERATE, DISCONNECTING, INVALID);
			case WAITING_TO_REGENERATE -> EnumSet.of(REGENERATING, WAITING_FOR_IDENTITY, DISCONNECTING);
			case REGENERATING ->
				EnumSet.of(READY, NOT_READY, WAITING_TO_REGENERATE, WAITING_FOR_IDENTITY, DISCONNECTING);
			case READY, NOT_READY -> EnumSet.of(WAITING_TO_REGENERATE, WAITING_FOR_IDENTITY, DISCONNECTING);
			case RESTORING -> EnumSet.of(WAITING_FOR_IDENTITY, WAITING_TO_REGENERATE, DISCONNECTING);
			case DISCONNECTING -> EnumSet.of(DISCONNECTED);
			case DISCONNECTED -> EnumSet.noneOf(EndpointState.class);
			case INVALID -> EnumSet.of(DISCONNECTING);
		};
	}

}
