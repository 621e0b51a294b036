package io.jcilium.common.policy.model;

/**
 * Traffic direction, seen from the endpoint a rule applies to.
 */
public enum Direction {

	/** Traffic arriving at the endpoint. */
	INGRESS,

	/** Traffic leaving the endpoint. */
	EGRESS;

	/**
	 * Lower-case name as policies and traces print it.
	 * @return {@code ingress} or {@code egress}
	 */
	public String text() {
		return (this == INGRESS) ? "ingress" : "egress";
	}

}
