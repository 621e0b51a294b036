package io.jcilium.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.grpc.TlsServerCredentials;
import io.jcilium.cli.identity.TestIdentityService;
import io.jcilium.testsupport.TestCertificates;
import io.jcilium.testsupport.TestCertificates.Issued;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's default (issue 17 point 1): a command reaches a service that requires a
 * client certificate over real mTLS with the files {@code jcilium.tls.*} names, on the
 * one-shot path and in the Spring context alike; without the files, or in plaintext, it
 * fails in one line with exit code 1.
 */
@ExtendWith(OutputCaptureExtension.class)
class MutualTlsConsoleIT {

	private TestCertificates authority;

	private TestIdentityService identities;

	@BeforeEach
	void start() throws IOException {
		this.authority = TestCertificates.newAuthority("jcilium-console-test-ca");
		Issued service = this.authority.issue("identity-service");
		this.identities = new TestIdentityService(TlsServerCredentials.newBuilder()
			.keyManager(service.certificate().toFile(), service.privateKey().toFile())
			.trustManager(this.authority.caCertificate().toFile())
			.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
			.build());
	}

	@AfterEach
	void stop() {
		if (this.identities != null) {
			this.identities.close();
		}
		if (this.authority != null) {
			this.authority.close();
		}
	}

	@Test
	void withTheConsolesCertificateACommandIsAnsweredOnBothPaths(CapturedOutput output) {
		Issued console = this.authority.issue("jcilium-console");
		String[] args = { "--jcilium.tls.ca-certificate=" + this.authority.caCertificate(),
				"--jcilium.tls.certificate=" + console.certificate(),
				"--jcilium.tls.private-key=" + console.privateKey(), this.identities.property(), "identity", "list" };

		assertThat(CliShellApplication.run(args)).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("identity-list.txt"));

		assertThat(CliShellApplication.runInContext(CliArguments.parse(args))).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("identity-list.txt").repeat(2));
		assertThat(output.getErr()).isEmpty();
	}

	@Test
	void withoutCertificatesACommandFailsInOneLineNamingTheSettings(CapturedOutput output) {
		String[] args = { this.identities.property(), "identity", "list" };

		assertThat(CliShellApplication.run(args)).isEqualTo(ExitCodes.FAILURE);
		assertThat(CliShellApplication.runInContext(CliArguments.parse(args))).isEqualTo(ExitCodes.FAILURE);

		String line = "mTLS is on (jcilium.tls.enabled, the default) but jcilium.tls.ca-certificate, "
				+ "jcilium.tls.certificate and jcilium.tls.private-key are not set: point them at the cluster's CA "
				+ "and the console's certificate and key (ca.crt, tls.crt, tls.key of the chart's "
				+ "<release>-console-tls Secret), or set jcilium.tls.enabled=false for plaintext (development only)\n";
		assertThat(output.getErr()).isEqualTo(line + line);
		assertThat(output.getOut()).isEmpty();
	}

	@Test
	void inPlaintextTheServiceRefusesTheConsoleAndTheCommandFailsInOneLine(CapturedOutput output) {
		List<String> args = new ArrayList<>(List.of(TestConsole.PLAINTEXT, this.identities.property()));
		args.addAll(List.of("identity", "list"));

		assertThat(CliShellApplication.run(args.toArray(String[]::new))).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr()).endsWith("\n").doesNotContain("\tat ");
		assertThat(output.getErr().lines()).hasSize(1);
		assertThat(output.getOut()).isEmpty();
	}

	@Test
	void aCertificateOfAnotherAuthorityIsRefused(CapturedOutput output) {
		try (TestCertificates other = TestCertificates.newAuthority("another-ca")) {
			Issued console = other.issue("jcilium-console");
			String[] args = { "--jcilium.tls.ca-certificate=" + other.caCertificate(),
					"--jcilium.tls.certificate=" + console.certificate(),
					"--jcilium.tls.private-key=" + console.privateKey(), this.identities.property(), "identity",
					"list" };

			assertThat(CliShellApplication.run(args)).isEqualTo(ExitCodes.FAILURE);
		}
		assertThat(output.getErr())
			.startsWith("identity-service at "
					+ this.identities.property().substring("--jcilium.services.identity.grpc=".length())
					+ ": the TLS handshake failed (")
			.contains("check jcilium.tls.ca-certificate, certificate and private-key");
		assertThat(output.getErr().lines()).hasSize(1);
		assertThat(output.getOut()).isEmpty();
	}

}
