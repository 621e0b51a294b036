package io.jcilium.operator.nodecert;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HashSet;
import java.util.Set;

import io.jcilium.api.tls.node.SubjectAlternativeNames;
import io.jcilium.common.net.IpAddress;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
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
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * What a node's PKCS#10 certificate request asks for, as the operator reads it back (with
 * Bouncy Castle, which only the operator carries: the agent writes its request with the
 * JDK alone, {@code CertificateRequests}).
 *
 * @param commonName the subject's only common name, null when it has none or several
 * @param names the subject alternative names it asks for
 * @param publicKey its public key
 * @param p256 whether that key is a P-256 key
 */
record NodeCertificateRequest(String commonName, SubjectAlternativeNames names, SubjectPublicKeyInfo publicKey,
		boolean p256) {

	/**
	 * Reads a PEM certificate request as a CSR's {@code spec.request} carries it.
	 * @param pem the PEM text
	 * @return what it asks for
	 * @throws IllegalArgumentException naming what is wrong when it is no readable,
	 * self-signed request
	 */
	static NodeCertificateRequest decode(String pem) {
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
			return new NodeCertificateRequest(commonName(request.getSubject()), namesOf(request),
					request.getSubjectPublicKeyInfo(), isP256(request.getSubjectPublicKeyInfo()));
		}
		catch (OperatorCreationException | PKCSException ex) {
			throw new IllegalArgumentException("the request's signature cannot be checked: " + ex.getMessage(), ex);
		}
	}

	/**
	 * PEM text of a certificate.
	 * @param object a certificate (or any object Bouncy Castle writes as PEM)
	 * @return its PEM text
	 */
	static String pem(Object object) {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(object);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return text.toString();
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
			return IpAddress.format(InetAddress.getByAddress(address));
		}
		catch (UnknownHostException ex) {
			return "<bad IP " + address.length + " bytes>";
		}
	}

}
