package io.jcilium.operator.nodecert;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import io.jcilium.api.tls.node.IssuedCertificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's CA as the operator signs node certificates with it: its certificate and
 * key as the chart's {@code <release>-ca} Secret holds them ({@code ca.crt},
 * {@code ca.key}; an RSA key from Helm's {@code genCA} or an EC key).
 */
final class ClusterCa {

	/**
	 * How far back a certificate's validity starts, for nodes whose clocks run a little
	 * behind the operator's.
	 */
	static final Duration BACKDATE = Duration.ofMinutes(5);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final X509Certificate certificate;

	private final PrivateKey key;

	private ClusterCa(X509Certificate certificate, PrivateKey key) {
		this.certificate = certificate;
		this.key = key;
	}

	/**
	 * Reads the CA.
	 * @param certificatePem {@code ca.crt}
	 * @param keyPem {@code ca.key}
	 * @return the CA
	 * @throws IllegalArgumentException naming what is unreadable
	 */
	static ClusterCa of(String certificatePem, String keyPem) {
		X509Certificate certificate = IssuedCertificate.parseChain(certificatePem).get(0);
		Object parsed;
		try (PEMParser parser = new PEMParser(new StringReader(keyPem))) {
			parsed = parser.readObject();
			JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
			PrivateKey key;
			if (parsed instanceof PEMKeyPair pair) {
				key = converter.getKeyPair(pair).getPrivate();
			}
			else if (parsed instanceof PrivateKeyInfo info) {
				key = converter.getPrivateKey(info);
			}
			else {
				throw new IllegalArgumentException("ca.key is not a PEM private key");
			}
			return new ClusterCa(certificate, key);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("ca.key is not a readable PEM private key: " + ex.getMessage(), ex);
		}
	}

	X509Certificate certificate() {
		return this.certificate;
	}

	/**
	 * Signs an approved node certificate request.
	 * @param request what the request asks for (already reviewed)
	 * @param now the signing time
	 * @param validity how long the certificate is valid
	 * @return the certificate, PEM
	 */
	String sign(NodeCertificateRequest request, Instant now, Duration validity) {
		try {
			Instant notAfter = now.plus(validity);
			Instant caNotAfter = this.certificate.getNotAfter().toInstant();
			if (notAfter.isAfter(caNotAfter)) {
				// A certificate never outlives the CA that vouches for it.
				notAfter = caNotAfter;
			}
			SubjectPublicKeyInfo publicKey = request.publicKey();
			X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
					X500Name.getInstance(this.certificate.getSubjectX500Principal().getEncoded()),
					new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(now.minus(BACKDATE)),
					Date.from(notAfter), new X500Name("CN=" + request.commonName()), publicKey);
			JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
			builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
					new KeyPurposeId[] { KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth }));
			builder.addExtension(Extension.subjectAlternativeName, false, names(request));
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					utils.createAuthorityKeyIdentifier(this.certificate));
			builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
			String algorithm = "RSA".equals(this.key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
			ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(this.key);
			X509Certificate issued = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
			return NodeCertificateRequest.pem(issued);
		}
		catch (Exception ex) {
			throw new IllegalStateException(
					"cannot sign the certificate of " + request.commonName() + ": " + ex.getMessage(), ex);
		}
	}

	private static GeneralNames names(NodeCertificateRequest request) throws UnknownHostException {
		List<GeneralName> names = new ArrayList<>();
		for (String dns : request.names().dnsNames().stream().sorted().toList()) {
			names.add(new GeneralName(GeneralName.dNSName, dns));
		}
		for (String ip : request.names().ipAddresses().stream().sorted().toList()) {
			names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
		}
		return new GeneralNames(names.toArray(GeneralName[]::new));
	}

}
