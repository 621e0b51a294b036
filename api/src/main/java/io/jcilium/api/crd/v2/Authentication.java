package io.jcilium.api.crd.v2;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Mutual authentication required by a peer rule.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Authentication {

	/** disabled, required or test-always-fail. */
	public String mode;

}
