package io.jcilium.api.tls.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The node's PKCS#10 request as the agent writes it with the JDK alone, read back by the
 * real {@code openssl req}: the signature verifies, and subject, key, signature algorithm
 * and subject alternative names are what was asked for.
 */
class CertificateRequestsTest {

	@TempDir
	Path dir;

	@BeforeAll
	static void needsOpenssl() {
		Prerequisites.require(Prerequisites.onPath("openssl"),
				"needs the openssl command to read certificate requests (apt-get install openssl)");
	}

	@Test
	void aNodeRequestVerifiesAndCarriesItsSubjectKeyAndNames() throws Exception {
		SubjectAlternativeNames names = SubjectAlternativeNames.forNode("node-a", "default",
				List.of("10.0.0.5", "fd00::5"), List.of("localhost", "hubble-peer.kube-system.svc.cluster.local"),
				List.of("127.0.0.1"));
		String pem = CertificateRequests.encode(CertificateRequests.newNodeKey(), "system:node:node-a", names);

		assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n")
			.endsWith("\n-----END CERTIFICATE REQUEST-----\n");
		String text = openssl(pem, "req", "-noout", "-verify", "-text", "-nameopt", "utf8,sep_comma_plus");
		assertThat(text).contains("verify OK")
			.contains("Version: 1 (0x0)")
			.contains("Subject: CN=system:node:node-a")
			.contains("ASN1 OID: prime256v1")
			.contains("Signature Algorithm: ecdsa-with-SHA256")
			.contains("Requested Extensions:")
			.contains("X509v3 Subject Alternative Name:")
			.contains("DNS:hubble-peer.kube-system.svc.cluster.local, DNS:localhost, "
					+ "DNS:node-a.default.hubble-grpc.cilium.io, IP Address:10.0.0.5, IP Address:127.0.0.1, "
					+ "IP Address:FD00:0:0:0:0:0:0:5");
		// The subject is a UTF8String, as Bouncy Castle wrote it before.
		assertThat(openssl(pem, "asn1parse")).contains(":commonName").contains("UTF8STRING        :system:node:node-a");
	}

	@Test
	void longRequestsUseLongFormLengthsAndStillVerify() throws Exception {
		List<String> dns = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			dns.add("name-" + i + ".example.org");
		}
		SubjectAlternativeNames names = new SubjectAlternativeNames(Set.copyOf(dns), Set.of("192.168.1.1"));
		String pem = CertificateRequests.encode(CertificateRequests.newNodeKey(), "system:node:ä-node", names);

		String text = openssl(pem, "req", "-noout", "-verify", "-text", "-nameopt", "utf8,sep_comma_plus");
		assertThat(text).contains("verify OK")
			.contains("Subject: CN=system:node:ä-node")
			.contains("DNS:name-299.example.org")
			.contains("IP Address:192.168.1.1");
	}

	@Test
	void anRsaKeyIsSignedWithSha256WithRsa() throws Exception {
		KeyPair rsa = rsa();
		String pem = CertificateRequests.encode(rsa, "system:node:node-b",
				new SubjectAlternativeNames(Set.of("localhost"), Set.of()));

		String text = openssl(pem, "req", "-noout", "-verify", "-text");
		assertThat(text).contains("verify OK")
			.contains("Signature Algorithm: sha256WithRSAEncryption")
			.contains("DNS:localhost");
	}

	@Test
	void anIpThatIsNotALiteralIsRefusedWithoutALookUp() {
		SubjectAlternativeNames names = new SubjectAlternativeNames(Set.of(), Set.of("node-a.example.org"));

		assertThatIllegalArgumentException()
			.isThrownBy(() -> CertificateRequests.encode(CertificateRequests.newNodeKey(), "system:node:a", names))
			.withMessage("'node-a.example.org' is not an IP address");
	}

	private String openssl(String pem, String... arguments) throws IOException, InterruptedException {
		Path request = Files.createTempFile(this.dir, "request", ".pem");
		Files.writeString(request, pem, StandardCharsets.US_ASCII);
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(arguments));
		command.addAll(List.of("-in", request.toString()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	private static KeyPair rsa() throws NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return generator.generateKeyPair();
	}

}
