package io.jcilium.api.tls.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * PKCS#10 certificate requests (RFC 2986) of node certificates, as the agent writes one
 * for a new P-256 key: DER written here and signed with the JDK's {@link Signature}, so
 * the agent needs no ASN.1 library (the operator reads and signs them with Bouncy
 * Castle).
 */
public final class CertificateRequests {

	private static final String P256 = "secp256r1";

	/** {@code id-at-commonName}. */
	private static final String COMMON_NAME = "2.5.4.3";

	/** PKCS#9 {@code extensionRequest}. */
	private static final String EXTENSION_REQUEST = "1.2.840.113549.1.9.14";

	/** {@code id-ce-subjectAltName}. */
	private static final String SUBJECT_ALT_NAME = "2.5.29.17";

	/** {@code ecdsa-with-SHA256} (RFC 5758: no parameters). */
	private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

	/** {@code sha256WithRSAEncryption} (RFC 4055: NULL parameters). */
	private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";

	/** GeneralName's {@code [2] IA5String} (implicit, primitive). */
	private static final int DNS_NAME = 0x82;

	/** GeneralName's {@code [7] OCTET STRING} (implicit, primitive). */
	private static final int IP_ADDRESS = 0x87;

	/**
	 * CertificationRequestInfo's {@code attributes [0] IMPLICIT SET OF} (constructed).
	 */
	private static final int ATTRIBUTES = 0xa0;

	private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

	private CertificateRequests() {
	}

	/**
	 * A new P-256 key pair: the private key never leaves the node.
	 * @return the key pair
	 */
	public static KeyPair newNodeKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec(P256));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("this JVM cannot make P-256 keys: " + ex.getMessage(), ex);
		}
	}

	/**
	 * A PEM certificate request for a key, signed with it: subject
	 * {@code CN=<commonName>} (UTF8String), the key, and an extension request with the
	 * subject alternative names (DNS names, then IP addresses, each sorted).
	 * @param key the key pair (EC or RSA)
	 * @param commonName the subject's common name
	 * @param names the subject alternative names asked for
	 * @return the PEM text ({@code CERTIFICATE REQUEST})
	 */
	public static String encode(KeyPair key, String commonName, SubjectAlternativeNames names) {
		List<byte[]> general = new ArrayList<>();
		names.dnsNames()
			.stream()
			.sorted()
			.forEach((dns) -> general.add(Der.value(DNS_NAME, dns.getBytes(StandardCharsets.US_ASCII))));
		names.ipAddresses().stream().sorted().forEach((ip) -> general.add(Der.value(IP_ADDRESS, ipOctets(ip))));
		byte[] subjectAltName = Der.sequence(Der.oid(SUBJECT_ALT_NAME),
				Der.value(Der.OCTET_STRING, Der.sequence(general.toArray(byte[][]::new))));
		byte[] extensionRequest = Der.sequence(Der.oid(EXTENSION_REQUEST), Der.set(Der.sequence(subjectAltName)));
		byte[] subject = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
		byte[] info = Der.sequence(Der.integer(0), subject, key.getPublic().getEncoded(),
				Der.value(ATTRIBUTES, extensionRequest));
		boolean ec = "EC".equals(key.getPrivate().getAlgorithm());
		byte[] algorithm = ec ? Der.sequence(Der.oid(ECDSA_WITH_SHA256))
				: Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nullValue());
		byte[] request = Der.sequence(info, algorithm,
				Der.bitString(sign(key.getPrivate(), ec ? "SHA256withECDSA" : "SHA256withRSA", info)));
		return "-----BEGIN CERTIFICATE REQUEST-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(request)
				+ "\n-----END CERTIFICATE REQUEST-----\n";
	}

	private static byte[] sign(PrivateKey key, String algorithm, byte[] data) {
		try {
			// The JDK's ECDSA signature is the DER SEQUENCE of r and s that X.509 wants.
			Signature signature = Signature.getInstance(algorithm);
			signature.initSign(key);
			signature.update(data);
			return signature.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot sign a certificate request: " + ex.getMessage(), ex);
		}
	}

	private static byte[] ipOctets(String ip) {
		// Only literals: InetAddress would otherwise look a name up in DNS.
		if (!IP_LITERAL.matcher(ip).matches()) {
			throw new IllegalArgumentException("'" + ip + "' is not an IP address");
		}
		try {
			return InetAddress.getByName(ip).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("'" + ip + "' is not an IP address", ex);
		}
	}

	/**
	 * PKCS#8 PEM text of a private key ({@code PRIVATE KEY}), the form every PEM reader
	 * takes.
	 * @param key the key
	 * @return its PEM text
	 */
	public static String pkcs8Pem(PrivateKey key) {
		return "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
				+ "\n-----END PRIVATE KEY-----\n";
	}

}
