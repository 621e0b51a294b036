package io.jcilium.api.tls.node;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A node's certificate as the signer issued it, with the private key it belongs to.
 *
 * @param privateKeyPem the private key, PKCS#8 PEM
 * @param certificatePem the certificate chain, PEM, leaf first
 * @param certificate the leaf certificate
 */
public record IssuedCertificate(String privateKeyPem, String certificatePem, X509Certificate certificate) {

	/**
	 * When a certificate is renewed: at two thirds of its validity, as kubelet's
	 * certificate manager does (which adds jitter up to 90 %), so a signer that is down
	 * for a while still leaves a third of the lifetime to retry.
	 * @param certificate the certificate
	 * @return the instant to ask for the next one
	 */
	public static Instant renewalTime(X509Certificate certificate) {
		Instant notBefore = certificate.getNotBefore().toInstant();
		Duration validity = Duration.between(notBefore, certificate.getNotAfter().toInstant());
		return notBefore.plus(validity.multipliedBy(2).dividedBy(3));
	}

	/**
	 * Reads a PEM certificate chain.
	 * @param pem the PEM text
	 * @return the certificates, leaf first
	 * @throws IllegalArgumentException when the text holds no certificate
	 */
	public static List<X509Certificate> parseChain(String pem) {
		try {
			List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
				.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
				.stream()
				.map(X509Certificate.class::cast)
				.toList();
			if (chain.isEmpty()) {
				throw new IllegalArgumentException("no PEM certificate in the text");
			}
			return chain;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("not a PEM certificate: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Whether the certificate carries a public key.
	 * @param key the key
	 * @return true when it is the certificate's
	 */
	public boolean certifies(PublicKey key) {
		return this.certificate.getPublicKey().equals(key);
	}

}
