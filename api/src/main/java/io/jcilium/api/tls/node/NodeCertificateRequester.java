package io.jcilium.api.tls.node;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The agent's side of the exchange: makes a P-256 key, asks the certificates API for a
 * certificate naming the node ({@code CN=system:node:<node>}, signer
 * {@value NodeCertificates#SIGNER_NAME}), and waits until the signer issued it or denied
 * the request. The API server records who asked ({@code spec.username},
 * {@code spec.extra}) from the caller's credentials, which the signer checks.
 */
public final class NodeCertificateRequester {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final KubernetesClient client;

	private final Duration pollInterval;

	/**
	 * @param client the agent's client (its ServiceAccount's credentials)
	 * @param pollInterval how often to look at the request while it is pending
	 */
	public NodeCertificateRequester(KubernetesClient client, Duration pollInterval) {
		this.client = client;
		this.pollInterval = pollInterval;
	}

	/**
	 * Asks for a certificate and waits for it.
	 * @param node the node's name
	 * @param names the subject alternative names to ask for
	 * @param timeout how long to wait for the signer
	 * @return the key and the issued certificate
	 * @throws NodeCertificateException when the request is denied or failed, or nothing
	 * was issued in time
	 */
	public IssuedCertificate request(String node, SubjectAlternativeNames names, Duration timeout) {
		KeyPair key = CertificateRequests.newNodeKey();
		String requestPem = CertificateRequests.encode(key, NodeCertificates.commonName(node), names);
		String name = NodeCertificates.NAME_PREFIX + node + "-" + HexFormat.of().formatHex(randomBytes());
		CertificateSigningRequest request = new CertificateSigningRequestBuilder().withNewMetadata()
			.withName(name)
			.addToLabels("app.kubernetes.io/part-of", "jcilium")
			.endMetadata()
			.withNewSpec()
			.withSignerName(NodeCertificates.SIGNER_NAME)
			.withRequest(Base64.getEncoder().encodeToString(requestPem.getBytes(StandardCharsets.US_ASCII)))
			.withUsages(NodeCertificates.USAGES)
			.endSpec()
			.build();
		try {
			this.client.certificates().v1().certificateSigningRequests().resource(request).create();
		}
		catch (KubernetesClientException ex) {
			throw new NodeCertificateException("cannot create CertificateSigningRequest " + name + " for node '" + node
					+ "' (the agent's ServiceAccount needs create on certificatesigningrequests): " + ex.getMessage(),
					ex);
		}
		String certificatePem = await(name, node, timeout);
		IssuedCertificate issued = new IssuedCertificate(CertificateRequests.pkcs8Pem(key.getPrivate()), certificatePem,
				IssuedCertificate.parseChain(certificatePem).get(0));
		if (!issued.certifies(key.getPublic())) {
			throw new NodeCertificateException(
					"CertificateSigningRequest " + name + " was issued a certificate for another key");
		}
		return issued;
	}

	private String await(String name, String node, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String lastError = "";
		while (true) {
			try {
				CertificateSigningRequest current = this.client.certificates()
					.v1()
					.certificateSigningRequests()
					.withName(name)
					.get();
				if (current == null) {
					throw new NodeCertificateException("CertificateSigningRequest " + name + " for node '" + node
							+ "' disappeared before a certificate was issued");
				}
				String certificate = outcome(current, node);
				if (certificate != null) {
					return certificate;
				}
			}
			catch (KubernetesClientException ex) {
				lastError = " (last error: " + ex.getMessage() + ")";
			}
			if (System.nanoTime() > deadline) {
				throw new NodeCertificateException("no certificate for node '" + node + "' within "
						+ timeout.toSeconds() + " s: CertificateSigningRequest " + name
						+ " is not signed; is the operator running and signing " + NodeCertificates.SIGNER_NAME
						+ " requests?" + lastError);
			}
			sleep();
		}
	}

	private static String outcome(CertificateSigningRequest current, String node) {
		if (current.getStatus() == null) {
			return null;
		}
		List<CertificateSigningRequestCondition> conditions = (current.getStatus().getConditions() != null)
				? current.getStatus().getConditions() : List.of();
		for (CertificateSigningRequestCondition condition : conditions) {
			if (("Denied".equals(condition.getType()) || "Failed".equals(condition.getType()))
					&& !"False".equals(condition.getStatus())) {
				throw new NodeCertificateException("CertificateSigningRequest " + current.getMetadata().getName()
						+ " for node '" + node + "' was " + condition.getType().toLowerCase() + " by "
						+ NodeCertificates.SIGNER_NAME + ": " + condition.getReason() + ": " + condition.getMessage());
			}
		}
		String certificate = current.getStatus().getCertificate();
		if (certificate == null || certificate.isEmpty()) {
			return null;
		}
		return new String(Base64.getDecoder().decode(certificate), StandardCharsets.US_ASCII);
	}

	private void sleep() {
		try {
			Thread.sleep(this.pollInterval.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NodeCertificateException("interrupted while waiting for the node's certificate", ex);
		}
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[4];
		RANDOM.nextBytes(bytes);
		return bytes;
	}

}
