package io.jcilium.common.policy.engine;

import java.util.Locale;

/**
 * Upstream's policy enforcement modes ({@code enable-policy}).
 */
public enum EnforcementMode {

	/** Enforce a direction once a rule selects the endpoint in that direction. */
	DEFAULT,

	/** Enforce both directions on every endpoint, selected or not. */
	ALWAYS,

	/** Never enforce: all traffic is allowed, deny rules included. */
	NEVER;

	/**
	 * Parse {@code default}, {@code always} or {@code never}.
	 * @param text the mode
	 * @return the mode
	 * @throws IllegalArgumentException naming the text and the allowed modes
	 */
	public static EnforcementMode parse(String text) {
		for (EnforcementMode mode : values()) {
			if (mode.name().equalsIgnoreCase((text != null) ? text.trim() : "")) {
				return mode;
			}
		}
		throw new IllegalArgumentException(
				"unknown policy enforcement mode '" + text + "', allowed: default, always, never");
	}

	public String text() {
		return name().toLowerCase(Locale.ROOT);
	}

}
