package io.jcilium.api.tls.node;

/**
 * A node certificate could not be had: the request was denied or failed, or no signer
 * answered in time. The message is one line saying what is missing.
 */
public class NodeCertificateException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public NodeCertificateException(String message) {
		super(message);
	}

	public NodeCertificateException(String message, Throwable cause) {
		super(message, cause);
	}

}
