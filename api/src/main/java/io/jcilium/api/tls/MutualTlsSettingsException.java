package io.jcilium.api.tls;

/**
 * mTLS is on, and some of the service's gRPC servers or clients have no certificate.
 */
public final class MutualTlsSettingsException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	MutualTlsSettingsException(String message) {
		super(message);
	}

}
