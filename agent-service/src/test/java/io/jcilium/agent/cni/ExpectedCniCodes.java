package io.jcilium.agent.cni;

/**
 * The error codes the tests expect, written down from their sources rather than taken
 * from {@link CniError}, so a wrong constant in the plugin cannot agree with itself:
 * codes 1-99 from the CNI specification (SPEC.md 1.0.0, section "Error", well-known error
 * codes), 100 and up from this plugin's contract in {@code docs/cni.md}.
 */
final class ExpectedCniCodes {

	/** Spec: incompatible CNI version. */
	static final int INCOMPATIBLE_CNI_VERSION = 1;

	/** Spec: invalid necessary environment variables. */
	static final int INVALID_ENVIRONMENT_VARIABLES = 4;

	/** Spec: failed to decode content. */
	static final int FAILED_TO_DECODE_CONTENT = 6;

	/** Spec: try again later. */
	static final int TRY_AGAIN_LATER = 11;

	/** docs/cni.md: IP allocation. */
	static final int IP_ALLOCATION = 100;

	/** docs/cni.md: veth, address or routes. */
	static final int LINK_SETUP = 101;

	/** Identity or datapath could not be set up (no datapath at all included). */
	static final int ENDPOINT_NOT_READY = 102;

	/** docs/cni.md: CHECK. */
	static final int CHECK = 103;

	private ExpectedCniCodes() {
	}

}
