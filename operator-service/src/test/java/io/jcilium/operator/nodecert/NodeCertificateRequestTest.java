package io.jcilium.operator.nodecert;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import io.jcilium.api.tls.node.CertificateRequests;
import io.jcilium.api.tls.node.SubjectAlternativeNames;
import io.jcilium.testsupport.TestCertificates;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A request the agent writes with the JDK alone ({@link CertificateRequests}) read back
 * and signed by the operator's Bouncy Castle path: the same subject, names and key come
 * out in the certificate, with the node certificate's key usages.
 */
class NodeCertificateRequestTest {

	private static final SubjectAlternativeNames NAMES = SubjectAlternativeNames.forNode("node-a", "default",
			List.of("10.0.0.5"), List.of("localhost"), List.of("127.0.0.1"));

	@Test
	void aRequestWrittenByTheAgentIsReadAndSignedAsAsked() throws Exception {
		KeyPair key = CertificateRequests.newNodeKey();
		String pem = CertificateRequests.encode(key, "system:node:node-a", NAMES);

		NodeCertificateRequest request = NodeCertificateRequest.decode(pem);

		assertThat(request.commonName()).isEqualTo("system:node:node-a");
		assertThat(request.names()).isEqualTo(NAMES);
		assertThat(request.p256()).isTrue();
		assertThat(request.publicKey().getEncoded()).isEqualTo(key.getPublic().getEncoded());
		try (TestCertificates authority = TestCertificates.newAuthority("jcilium-test-ca")) {
			ClusterCa ca = ClusterCa.of(Files.readString(authority.caCertificate()),
					Files.readString(authority.caPrivateKey()));
			X509Certificate issued = certificate(ca.sign(request, Instant.now(), Duration.ofHours(1)));

			issued.verify(ca.certificate().getPublicKey());
			assertThat(issued.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:node-a");
			assertThat(issued.getPublicKey().getEncoded()).isEqualTo(key.getPublic().getEncoded());
			assertThat(issued.getSubjectAlternativeNames().stream().map((name) -> String.valueOf(name.get(1))))
				.containsExactlyInAnyOrder("localhost", "node-a.default.hubble-grpc.cilium.io", "10.0.0.5",
						"127.0.0.1");
			assertThat(issued.getKeyUsage()[0]).as("digitalSignature").isTrue();
			assertThat(issued.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1",
					"1.3.6.1.5.5.7.3.2");
		}
	}

	@Test
	void aRequestWhoseSignatureDoesNotMatchItsKeyIsRefused() {
		String pem = CertificateRequests.encode(CertificateRequests.newNodeKey(), "system:node:node-a",
				new SubjectAlternativeNames(Set.of("localhost"), Set.of()));
		byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
		// The last octet is inside the signature's s value.
		der[der.length - 1] ^= 0x01;
		String tampered = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
				+ "\n-----END CERTIFICATE REQUEST-----\n";

		assertThatIllegalArgumentException().isThrownBy(() -> NodeCertificateRequest.decode(tampered))
			.withMessageContaining("signature");
	}

	private static X509Certificate certificate(String pem) throws Exception {
		return (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
	}

}
