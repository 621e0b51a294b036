package io.jcilium.api.tls.node;

import java.util.List;

import io.jcilium.api.caller.CallerCertificate;

/**
 * What a node's certificate request looks like, on both sides of the exchange: the
 * signer, the subject, the usages, and the facts the API server records about the
 * requester that the operator checks.
 */
public final class NodeCertificates {

	/** The CSRs' {@code spec.signerName}: only the operator signs for it. */
	public static final String SIGNER_NAME = "jcilium.io/node-client";

	/**
	 * The usages a node's certificate has: it calls identity and ipam (client), serves
	 * Hubble on port 4244 (server).
	 */
	public static final List<String> USAGES = List.of("client auth", "server auth", "digital signature");

	/**
	 * {@code spec.extra} key the API server fills from a bound ServiceAccount token: the
	 * pod the token was issued to (Kubernetes 1.30+).
	 */
	public static final String POD_NAME_EXTRA = "authentication.kubernetes.io/pod-name";

	/** {@code spec.extra} key: the UID of the pod the token was issued to. */
	public static final String POD_UID_EXTRA = "authentication.kubernetes.io/pod-uid";

	/** {@code spec.extra} key: the node the token's pod runs on (Kubernetes 1.30+). */
	public static final String NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";

	/** Prefix of the CSRs' names; the rest is chosen by the API server. */
	public static final String NAME_PREFIX = "jcilium-node-";

	private NodeCertificates() {
	}

	/**
	 * The common name of a node's certificate.
	 * @param node the node's name
	 * @return {@code system:node:<node>}
	 */
	public static String commonName(String node) {
		return CallerCertificate.NODE_PREFIX + node;
	}

	/**
	 * The node a common name names.
	 * @param commonName a certificate's common name
	 * @return the node, or null when it names no node
	 */
	public static String nodeOf(String commonName) {
		if (commonName == null || !commonName.startsWith(CallerCertificate.NODE_PREFIX)
				|| commonName.length() == CallerCertificate.NODE_PREFIX.length()) {
			return null;
		}
		return commonName.substring(CallerCertificate.NODE_PREFIX.length());
	}

	/**
	 * The ServiceAccount user name the API server records for a pod's requests.
	 * @param namespace the ServiceAccount's namespace
	 * @param name the ServiceAccount's name
	 * @return {@code system:serviceaccount:<namespace>:<name>}
	 */
	public static String serviceAccountUser(String namespace, String name) {
		return "system:serviceaccount:" + namespace + ":" + name;
	}

}
