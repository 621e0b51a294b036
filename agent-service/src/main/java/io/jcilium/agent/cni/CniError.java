package io.jcilium.agent.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CNI error result (CNI spec 1.0, "Error"): a code, a message and details. Codes 1-99
 * are the spec's; 100 and up are this plugin's own.
 *
 * @param code error code
 * @param msg short message
 * @param details what to look at, may be {@code null}
 */
record CniError(int code, String msg, String details) {

	/** Spec: the network config's version is not supported. */
	static final int INCOMPATIBLE_VERSION = 1;

	/** Spec: a required CNI_* environment variable is missing or invalid. */
	static final int INVALID_ENVIRONMENT = 4;

	/** Spec: the network config could not be decoded. */
	static final int DECODING_FAILURE = 6;

	/** Spec: the network config is invalid. */
	static final int INVALID_NETWORK_CONFIG = 7;

	/** Spec: transient, the runtime should try again later. */
	static final int TRY_AGAIN_LATER = 11;

	/** No pod address could be allocated (node CIDR exhausted, requested IP in use). */
	static final int IP_ALLOCATION_FAILED = 100;

	/** The veth pair, address or routes could not be set up. */
	static final int LINK_SETUP_FAILED = 101;

	/** Identity resolution or datapath regeneration failed. */
	static final int ENDPOINT_NOT_READY = 102;

	/** CHECK found the endpoint missing or broken. */
	static final int CHECK_FAILED = 103;

	String toJson(String cniVersion) {
		ObjectNode error = Json.MAPPER.createObjectNode();
		error.put("cniVersion", cniVersion);
		error.put("code", this.code);
		error.put("msg", this.msg);
		if (this.details != null) {
			error.put("details", this.details);
		}
		return error.toString();
	}

}
