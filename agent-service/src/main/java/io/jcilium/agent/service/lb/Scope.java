package io.jcilium.agent.service.lb;

/**
 * Which clients a frontend entry serves ({@code LB_SCOPE_*}): a service with different
 * external and internal traffic policies keeps two backend sets for one frontend, as
 * upstream does.
 */
public enum Scope {

	/** Traffic from outside the node, and everything when there is one set only. */
	EXTERNAL(0),

	/** In-cluster clients, when the master of the external entry says two scopes. */
	INTERNAL(1);

	private final int code;

	Scope(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

}
