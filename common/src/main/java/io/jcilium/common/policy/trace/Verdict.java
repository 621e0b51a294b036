package io.jcilium.common.policy.trace;

/**
 * The outcome of a trace.
 */
public enum Verdict {

	/** The connection is allowed (and its replies, by connection tracking). */
	ALLOWED,

	/** The connection is dropped. */
	DENIED;

	public String text() {
		return (this == ALLOWED) ? "allowed" : "denied";
	}

}
