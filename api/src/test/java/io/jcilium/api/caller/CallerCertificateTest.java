package io.jcilium.api.caller;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;

import io.jcilium.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What real certificates (issued by openssl) make of their holder, and when a server's
 * settings switch from declared callers to certificates.
 */
class CallerCertificateTest {

	private static TestCertificates authority;

	@BeforeAll
	static void createAuthority() {
		authority = TestCertificates.newAuthority("caller-certificate-test-ca");
	}

	@AfterAll
	static void removeAuthority() {
		if (authority != null) {
			authority.close();
		}
	}

	@Test
	void aNodesCertificateNamesThatNodeAndTheOperatorsTheOperator() throws Exception {
		assertThat(CallerCertificate.callerOf(issued("system:node:node-a"))).isEqualTo(Caller.node("node-a"));
		assertThat(CallerCertificate.callerOf(issued("jcilium-operator"))).isEqualTo(Caller.operator());
	}

	@Test
	void anyOtherNameIsAServiceThatMayOnlyRead() throws Exception {
		Caller relay = CallerCertificate.callerOf(issued("hubble-relay"));

		assertThat(relay).isEqualTo(Caller.service("hubble-relay"));
		assertThat(relay.toString()).isEqualTo("service 'hubble-relay'");
		assertThatThrownBy(() -> relay.requireActingFor("node-a", "Release"))
			.hasMessageContaining("not to service 'hubble-relay'");
		assertThatThrownBy(() -> relay.requireOperator("DeletePool"))
			.hasMessageContaining("allowed only to the operator");
	}

	@Test
	void theCommonNamesRoundTrip() throws Exception {
		for (Caller caller : new Caller[] { Caller.node("node-b"), Caller.operator(), Caller.service("console") }) {
			assertThat(CallerCertificate.callerOf(issued(CallerCertificate.commonNameOf(caller)))).isEqualTo(caller);
		}
	}

	@Test
	void tlsWithoutRequiredClientCertificatesIsRefusedAtStart() {
		assertThat(CallerInterceptor.forServerSettings(Map.<String, String>of()::get).usesCertificates()).isFalse();
		assertThat(CallerInterceptor.forServerSettings(
				Map.of("spring.grpc.server.ssl.bundle", "grpc", "spring.grpc.server.ssl.client-auth", "REQUIRE")::get)
			.usesCertificates()).isTrue();
		assertThat(CallerInterceptor
			.forServerSettings(
					Map.of("spring.grpc.server.ssl.bundle", "grpc", "spring.grpc.server.ssl.enabled", "false")::get)
			.usesCertificates()).isFalse();
		assertThatIllegalStateException()
			.isThrownBy(() -> CallerInterceptor.forServerSettings(Map.of("spring.grpc.server.ssl.bundle", "grpc")::get))
			.withMessageContaining("client-auth 'none'")
			.withMessageContaining("spring.grpc.server.ssl.client-auth=require");
	}

	private static X509Certificate issued(String commonName) throws IOException, GeneralSecurityException {
		Path file = authority.issue(commonName).certificate();
		try (InputStream in = Files.newInputStream(file)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

}
