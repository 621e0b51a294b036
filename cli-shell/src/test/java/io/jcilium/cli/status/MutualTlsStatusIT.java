package io.jcilium.cli.status;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.TlsServerCredentials;
import io.grpc.protobuf.services.HealthStatusManager;
import io.jcilium.cli.services.ClientTls;
import io.jcilium.testsupport.TestCertificates;
import io.jcilium.testsupport.TestCertificates.Issued;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The console reaches a service that requires client certificates (issue 17 point 1),
 * over a real TLS connection, with the files {@code jcilium.tls.*} names; without them it
 * is refused.
 */
class MutualTlsStatusIT {

	private final HealthStatusManager health = new HealthStatusManager();

	private TestCertificates authority;

	private Server server;

	@BeforeEach
	void startService() throws IOException {
		this.authority = TestCertificates.newAuthority("jcilium-test-ca");
		Issued service = this.authority.issue("identity-service");
		this.server = Grpc
			.newServerBuilderForPort(0,
					TlsServerCredentials.newBuilder()
						.keyManager(service.certificate().toFile(), service.privateKey().toFile())
						.trustManager(this.authority.caCertificate().toFile())
						.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
						.build())
			.addService(this.health.getHealthService())
			.build()
			.start();
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		if (this.authority != null) {
			this.authority.close();
		}
	}

	@Test
	void withTheConsolesCertificateTheServiceIsServing() {
		Issued console = this.authority.issue("jcilium-console");
		ClientTls tls = new ClientTls(this.authority.caCertificate(), console.certificate(), console.privateKey(),
				null);

		HealthCheck check = new GrpcHealthProbe(Duration.ofSeconds(30), tls.credentials()).check("identity", target());

		assertThat(check.healthy()).isTrue();
		assertThat(check.status()).isEqualTo("SERVING");
	}

	@Test
	void inPlaintextTheServiceIsUnreachable() {
		HealthCheck check = new GrpcHealthProbe(Duration.ofSeconds(30), ClientTls.plaintext().credentials())
			.check("identity", target());

		assertThat(check.healthy()).isFalse();
		assertThat(check.status()).isEqualTo(HealthCheck.UNREACHABLE);
	}

	@Test
	void halfASettingIsRefusedNamingWhatIsMissing() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClientTls(this.authority.caCertificate(), null, null, null))
			.withMessageContaining("jcilium.tls needs all of ca-certificate, certificate and private-key");
	}

	private String target() {
		return "localhost:" + this.server.getPort();
	}

}
