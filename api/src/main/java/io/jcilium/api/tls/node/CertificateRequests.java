package io.jcilium.api.tls.node;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * PKCS#10 certificate requests of node certificates: the agent writes one for a new P-256
 * key, the operator reads one back to check what it asks for.
 */
public final class CertificateRequests {

	private static final String P256 = "secp256r1";

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
	 * A PEM certificate request for a key, signed with it.
	 * @param key the key pair
	 * @param commonName the subject's common name
	 * @param names the subject alternative names asked for
	 * @return the PEM text ({@code CERTIFICATE REQUEST})
	 */
	public static String encode(KeyPair key, String commonName, SubjectAlternativeNames names) {
		try {
			List<GeneralName> general = new ArrayList<>();
			names.dnsNames().stream().sorted().forEach((dns) -> general.add(new GeneralName(GeneralName.dNSName, dns)));
			names.ipAddresses()
				.stream()
				.sorted()
				.forEach((ip) -> general.add(new GeneralName(GeneralName.iPAddress, ip)));
			ExtensionsGenerator extensions = new ExtensionsGenerator();
			extensions.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(general.toArray(GeneralName[]::new)));
			X500Name subject = new X500Name(new RDN[] { new RDN(BCStyle.CN, new DERUTF8String(commonName)) });
			ContentSigner signer = new JcaContentSignerBuilder(
					"EC".equals(key.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA")
				.build(key.getPrivate());
			PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic())
				.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
				.build(signer);
			return pem(request);
		}
		catch (IOException | OperatorCreationException ex) {
			throw new IllegalStateException("cannot encode a certificate request: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Reads a PEM certificate request as a CSR's {@code spec.request} carries it.
	 * @param pem the PEM text
	 * @return what it asks for
	 * @throws IllegalArgumentException naming what is wrong when it is no readable,
	 * self-signed request
	 */
	public static Request decode(String pem) {
		Object parsed;
		try (PEMParser parser = new PEMParser(new StringReader(pem))) {
			parsed = parser.readObject();
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("the request is not PEM: " + ex.getMessage(), ex);
		}
		if (!(parsed instanceof PKCS10CertificationRequest request)) {
			throw new IllegalArgumentException("the request is not a PEM CERTIFICATE REQUEST");
		}
		try {
			boolean signed = request.isSignatureValid(
					new JcaContentVerifierProviderBuilder().build(publicKey(request.getSubjectPublicKeyInfo())));
			if (!signed) {
				throw new IllegalArgumentException("the request's signature does not match its key");
			}
			return new Request(commonName(request.getSubject()), namesOf(request), request.getSubjectPublicKeyInfo(),
					isP256(request.getSubjectPublicKeyInfo()));
		}
		catch (OperatorCreationException | PKCSException ex) {
			throw new IllegalArgumentException("the request's signature cannot be checked: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Whether a public key is a P-256 key.
	 * @param key the key
	 * @return true for an EC key on secp256r1
	 */
	public static boolean isP256(PublicKey key) {
		return key instanceof ECPublicKey && isP256(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
	}

	private static PublicKey publicKey(SubjectPublicKeyInfo key) {
		ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
		String name = X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm) ? "EC"
				: PKCSObjectIdentifiers.rsaEncryption.equals(algorithm) ? "RSA" : null;
		if (name == null) {
			throw new IllegalArgumentException("the request's key algorithm " + algorithm + " is neither EC nor RSA");
		}
		try {
			return KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalArgumentException("the request's " + name + " key is unreadable: " + ex.getMessage(), ex);
		}
	}

	private static boolean isP256(SubjectPublicKeyInfo key) {
		AlgorithmIdentifier algorithm = key.getAlgorithm();
		ASN1Encodable curve = algorithm.getParameters();
		return X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
				&& (SECObjectIdentifiers.secp256r1.equals(curve) || X9ObjectIdentifiers.prime256v1.equals(curve));
	}

	private static String commonName(X500Name subject) {
		RDN[] names = subject.getRDNs(BCStyle.CN);
		return (names.length == 1) ? IETFUtils.valueToString(names[0].getFirst().getValue()) : null;
	}

	private static SubjectAlternativeNames namesOf(PKCS10CertificationRequest request) {
		Set<String> dns = new HashSet<>();
		Set<String> ips = new HashSet<>();
		for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
			for (ASN1Encodable value : attribute.getAttributeValues()) {
				GeneralNames names = GeneralNames.fromExtensions(Extensions.getInstance(value),
						Extension.subjectAlternativeName);
				if (names == null) {
					continue;
				}
				for (GeneralName name : names.getNames()) {
					if (name.getTagNo() == GeneralName.dNSName) {
						dns.add(name.getName().toString());
					}
					else if (name.getTagNo() == GeneralName.iPAddress) {
						ips.add(ipText(name));
					}
					else {
						// A name of another kind (URI, e-mail) is never expected: keep it
						// visible so that the comparison fails.
						dns.add("<" + name + ">");
					}
				}
			}
		}
		return new SubjectAlternativeNames(dns, ips);
	}

	private static String ipText(GeneralName name) {
		byte[] address = DEROctetString.getInstance(name.getName()).getOctets();
		try {
			return InetAddress.getByAddress(address).getHostAddress();
		}
		catch (UnknownHostException ex) {
			return "<bad IP " + address.length + " bytes>";
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

	/**
	 * PEM text of a BouncyCastle or JCA object.
	 * @param object a request, a certificate or a key
	 * @return its PEM text
	 */
	public static String pem(Object object) {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(object);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return text.toString();
	}

	/**
	 * What a certificate request asks for.
	 *
	 * @param commonName the subject's only common name, null when it has none or several
	 * @param names the subject alternative names it asks for
	 * @param publicKey its public key
	 * @param p256 whether that key is a P-256 key
	 */
	public record Request(String commonName, SubjectAlternativeNames names, SubjectPublicKeyInfo publicKey,
			boolean p256) {

	}

}
