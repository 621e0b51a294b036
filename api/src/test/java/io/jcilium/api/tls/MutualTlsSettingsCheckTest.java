package io.jcilium.api.tls;

import java.util.List;

import io.jcilium.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mTLS is the services' default (issue 17): started without certificates a service stops
 * at once, naming in one line the settings it misses and the plaintext switch; plaintext
 * needs {@code jcilium.tls.enabled=false}.
 */
class MutualTlsSettingsCheckTest {

	private final TestCertificates authority = TestCertificates.newAuthority("jcilium-test-ca");

	private final ApplicationContextRunner service = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MutualTlsAutoConfiguration.class))
		.withBean("identityClientTls", MutualTlsClientSetting.class,
				() -> new MutualTlsClientSetting("jcilium.agent.identity.ssl-bundle"));

	@AfterEach
	void removeCertificates() {
		this.authority.close();
	}

	@Test
	void withoutCertificatesTheServiceDoesNotStartAndSaysWhatIsMissing() {
		this.service.run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).isInstanceOf(MutualTlsSettingsException.class)
				.hasMessageContaining("spring.grpc.server.ssl.bundle, jcilium.agent.identity.ssl-bundle")
				.hasMessageContaining("spring.ssl.bundle.pem.grpc.keystore.certificate")
				.hasMessageContaining("jcilium.tls.enabled=false for plaintext");
			assertThat(failure.getMessage()).doesNotContain("\n");
			FailureAnalysis analysis = new MutualTlsFailureAnalyzer().analyze(failure);
			assertThat(analysis.getDescription()).isEqualTo(failure.getMessage());
		});
	}

	@Test
	void aNamedBundleThatIsNotConfiguredIsNamed() {
		this.service
			.withPropertyValues("spring.grpc.server.ssl.bundle=grpc", "spring.grpc.server.ssl.client-auth=require",
					"jcilium.agent.identity.ssl-bundle=grpc")
			.run((context) -> assertThat(context.getStartupFailure()).isInstanceOf(MutualTlsSettingsException.class)
				.hasMessageContaining("SSL bundle 'grpc' named by spring.grpc.server.ssl.bundle is not configured")
				.hasMessageContaining("spring.ssl.bundle.pem.grpc.truststore.certificate"));
	}

	@Test
	void theServerAloneCountsWhenItHasNoClients() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MutualTlsAutoConfiguration.class))
			.run((context) -> assertThat(context.getStartupFailure()).isInstanceOf(MutualTlsSettingsException.class)
				.hasMessageContaining("missing: spring.grpc.server.ssl.bundle (name"));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MutualTlsAutoConfiguration.class))
			.withPropertyValues("spring.grpc.server.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aCertificateWithoutItsKeyStopsTheStartInOneLine() {
		List<String> bundle = this.authority.springBundle("grpc", this.authority.issue("identity-service"))
			.stream()
			.filter((setting) -> !setting.contains("private-key"))
			.toList();
		this.service.withPropertyValues(bundle.toArray(String[]::new))
			.withPropertyValues("spring.grpc.server.ssl.bundle=grpc", "spring.grpc.server.ssl.client-auth=require",
					"jcilium.agent.identity.ssl-bundle=grpc")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				assertThat(failure).isInstanceOf(MutualTlsSettingsException.class)
					.hasMessageStartingWith("SSL bundle 'grpc' has a certificate but no private key");
				assertThat(failure.getMessage()).doesNotContain("\n");
			});
	}

	@Test
	void withCertificatesTheServiceStarts() {
		List<String> bundle = this.authority.springBundle("grpc", this.authority.issue("identity-service"));
		this.service.withPropertyValues(bundle.toArray(String[]::new))
			.withPropertyValues("spring.grpc.server.ssl.bundle=grpc", "spring.grpc.server.ssl.client-auth=require",
					"jcilium.agent.identity.ssl-bundle=grpc")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void plaintextIsAnExplicitDevelopmentSetting() {
		this.service.withPropertyValues("jcilium.tls.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MutualTlsProperties.class).enabled()).isFalse();
		});
	}

}
