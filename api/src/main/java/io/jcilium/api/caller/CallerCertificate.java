package io.jcilium.api.caller;

import java.security.cert.X509Certificate;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who a client certificate names. The names follow Kubernetes' own node client
 * certificates ({@code system:node:<name>}), so a node's kubelet-style certificate
 * request reads the same here: the common name {@value #NODE_PREFIX}{@code <node>} is
 * that node's agent, {@value #OPERATOR} is the operator, and any other common name is a
 * read-only {@link Caller.Kind#SERVICE service} (relay, console, bgp-service).
 * <p>
 * Only certificates the TLS handshake verified against the cluster's CA reach this class:
 * it reads names, it does not decide trust.
 */
public final class CallerCertificate {

	/** Common-name prefix of a node's certificate. */
	public static final String NODE_PREFIX = "system:node:";

	/** Common name of the operator's certificate. */
	public static final String OPERATOR = "jcilium-operator";

	/**
	 * Common name of a certificate every agent shares, as the Helm chart issues one
	 * Secret for the whole DaemonSet: its holder acts for the node its
	 * {@code jcilium-caller} metadata declares. Weaker than a certificate per node (any
	 * agent can then act for any node), so a cluster that issues per-node certificates
	 * never issues this one: trust follows what the CA signs.
	 */
	public static final String SHARED_AGENT = "jcilium-agent";

	private CallerCertificate() {
	}

	/**
	 * The caller a verified client certificate names.
	 * @param certificate the peer's leaf certificate
	 * @return the node, the operator or a read-only service
	 * @throws IllegalArgumentException when the subject has no usable common name
	 */
	public static Caller callerOf(X509Certificate certificate) {
		String commonName = commonName(certificate);
		if (OPERATOR.equals(commonName)) {
			return Caller.operator();
		}
		if (commonName.startsWith(NODE_PREFIX)) {
			return Caller.node(commonName.substring(NODE_PREFIX.length()));
		}
		return Caller.service(commonName);
	}

	/** The common name a node's certificate carries, for the tools that issue them. */
	public static String commonNameOf(Caller caller) {
		return switch (caller.kind()) {
			case NODE -> NODE_PREFIX + caller.name();
			case OPERATOR -> OPERATOR;
			case SERVICE -> caller.name();
			case UNKNOWN -> throw new IllegalArgumentException("an unknown caller has no certificate");
		};
	}

	private static String commonName(X509Certificate certificate) {
		String subject = certificate.getSubjectX500Principal().getName();
		try {
			for (Rdn rdn : new LdapName(subject).getRdns()) {
				if ("CN".equalsIgnoreCase(rdn.getType()) && !String.valueOf(rdn.getValue()).isBlank()) {
					return String.valueOf(rdn.getValue());
				}
			}
		}
		catch (InvalidNameException ex) {
			throw new IllegalArgumentException("client certificate subject '" + subject + "' is not a name", ex);
		}
		throw new IllegalArgumentException("client certificate subject '" + subject + "' has no common name (CN): "
				+ "a node's is CN=" + NODE_PREFIX + "<node>, the operator's CN=" + OPERATOR);
	}

}
