package io.jcilium.agent.cni;

/**
 * A CNI call fails with {@link #error()}, reported in {@link #cniVersion()}.
 */
class CniException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String cniVersion;

	private final transient CniError error;

	CniException(String cniVersion, CniError error) {
		super(error.msg() + ((error.details() != null) ? ": " + error.details() : ""));
		this.cniVersion = cniVersion;
		this.error = error;
	}

	String cniVersion() {
		return this.cniVersion;
	}

	CniError error() {
		return this.error;
	}

}
