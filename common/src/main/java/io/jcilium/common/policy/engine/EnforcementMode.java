package io.jcilium.common.policy.engine;

import java.util.Locale;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;

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

	/**
	 * Whether an endpoint with these labels is held at upstream's {@code reserved:init}
	 * identity (its real labels are not known yet): it is enforced in both directions
	 * whatever the rules say, default deny, and rules selecting {@code reserved:init}
	 * still allow what they allow; only mode {@code never} lets it through (upstream's
	 * {@code computePolicyEnforcementAndRules}). The offline trace applies the same rule.
	 * @param labels the endpoint's identity labels
	 * @return whether it carries {@code reserved:init}
	 */
	public static boolean heldAtInit(Labels labels) {
		return labels.contains(ReservedIdentity.INIT.label());
	}

	public String text() {
		return name().toLowerCase(Locale.ROOT);
	}

}
