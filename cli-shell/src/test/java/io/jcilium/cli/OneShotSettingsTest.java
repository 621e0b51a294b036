package io.jcilium.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.grpc.InsecureChannelCredentials;
import io.jcilium.cli.services.ClientTls;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.status.StatusProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The settings of the one-shot path against what Spring Boot binds from the same
 * arguments: the same service addresses in the same order ({@code status} prints them in
 * that order) and the same status timeout; and no settings at all, so that the context
 * decides, whenever something besides the arguments could configure the console.
 */
class OneShotSettingsTest {

	@TempDir
	Path workingDirectory;

	@ParameterizedTest
	@ValueSource(strings = { "", "--jcilium.services.relay.url=http://10.0.0.1:1",
			"--jcilium.services.relay.url=http://10.0.0.1:1 --jcilium.services.bgp.url=http://10.0.0.2:2",
			"--jcilium.services.bgp.url=http://10.0.0.2:2 --jcilium.services.relay.url=http://10.0.0.1:1",
			"--jcilium.services.identity.grpc=10.0.0.3:3 --jcilium.services.agent.grpc= --jcilium.services.ipam.url=http://i:4",
			"--jcilium.services.extra.url=http://10.0.0.9:9 --jcilium.services.extra.grpc=10.0.0.9:10",
			"--jcilium.cli.status.timeout=750ms --jcilium.services.operator.url=http://o:5" })
	void bindsWhatSpringBootBindsInItsOrder(String arguments) {
		List<String> properties = arguments.isEmpty() ? List.of() : List.of(arguments.split(" "));

		OneShotSettings settings = OneShotSettings.resolve(properties, Map.of(), new Properties(),
				this.workingDirectory);

		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CliShellApplication.class)
			.properties("spring.shell.interactive.enabled=false", "spring.main.lazy-initialization=true")
			.run(properties.toArray(String[]::new))) {
			ServiceAddresses bound = context.getBean(ServiceAddresses.class);
			assertThat(settings).isNotNull();
			assertThat(List.copyOf(settings.addresses().services().entrySet()))
				.isEqualTo(List.copyOf(bound.services().entrySet()));
			assertThat(settings.status()).isEqualTo(context.getBean(StatusProperties.class));
		}
	}

	@Test
	void leavesToSpringBootWhatOnlyItReads() throws IOException {
		List<String> none = List.of();
		Properties noSystemProperties = new Properties();
		assertThat(resolve(none, Map.of(), noSystemProperties)).isNotNull();

		assertThat(resolve(none, Map.of("JCILIUM_SERVICES_AGENT_URL", "http://a:1"), noSystemProperties)).isNull();
		assertThat(resolve(none, Map.of("SPRING_APPLICATION_JSON", "{}"), noSystemProperties)).isNull();
		Properties system = new Properties();
		system.setProperty("jcilium.services.agent.url", "http://a:1");
		assertThat(resolve(none, Map.of(), system)).isNull();
		assertThat(resolve(List.of("--spring.main.lazy-initialization=false"), Map.of(), noSystemProperties)).isNull();
		assertThat(resolve(List.of("--jcilium.services.Agent.url=http://a:1"), Map.of(), noSystemProperties)).isNull();
		assertThat(
				resolve(List.of("--jcilium.services.agent.url=http://a:1", "--jcilium.services.agent.url=http://b:1"),
						Map.of(), noSystemProperties))
			.isNull();
		assertThat(resolve(List.of("--jcilium.services.agent.url=http://bad host"), Map.of(), noSystemProperties))
			.isNull();
		assertThat(resolve(List.of("--jcilium.cli.status.timeout=soon"), Map.of(), noSystemProperties)).isNull();
		assertThat(resolve(List.of("--jcilium.services.extra.grpc=x:1"), Map.of(), noSystemProperties)).isNull();

		Files.createDirectories(this.workingDirectory.resolve("config/site"));
		assertThat(resolve(none, Map.of(), noSystemProperties)).isNotNull();
		Files.writeString(this.workingDirectory.resolve("config/site/application.yaml"), "jcilium: {}\n");
		assertThat(resolve(none, Map.of(), noSystemProperties)).isNull();
	}

	@Test
	void bindsTheConsolesCertificateAsSpringBootDoes() {
		List<String> properties = List.of("--jcilium.tls.ca-certificate=/certs/ca.crt",
				"--jcilium.tls.certificate=/certs/tls.crt", "--jcilium.tls.private-key=/certs/tls.key");

		OneShotSettings settings = resolve(properties, Map.of(), new Properties());

		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CliShellApplication.class)
			.properties("spring.shell.interactive.enabled=false", "spring.main.lazy-initialization=true")
			.run(properties.toArray(String[]::new))) {
			assertThat(settings).isNotNull();
			assertThat(settings.addresses().tls()).isEqualTo(context.getBean(ServiceAddresses.class).tls());
		}
		// Half a setting, from arguments or the environment, is Spring Boot's to report.
		assertThat(resolve(properties.subList(0, 2), Map.of(), new Properties())).isNull();
		assertThat(resolve(List.of(), Map.of("JCILIUM_TLS_CA_CERTIFICATE", "/certs/ca.crt"), new Properties()))
			.isNull();
	}

	// Issue 17: mTLS by default; a command that needs a gRPC port says which files are
	// missing, and plaintext is the explicit development setting the scripts export.
	@Test
	void mutualTlsIsTheDefaultAndPlaintextAnExplicitSetting() {
		ClientTls byDefault = resolve(List.of(), Map.of(), new Properties()).addresses().tls();
		assertThat(byDefault.enabled()).isTrue();
		assertThatThrownBy(byDefault::credentials).isInstanceOf(CommandFailedException.class)
			.hasMessageContaining("jcilium.tls.ca-certificate, jcilium.tls.certificate and jcilium.tls.private-key")
			.hasMessageContaining("jcilium.tls.enabled=false for plaintext");

		List<String> plaintext = List.of("--jcilium.tls.enabled=false");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CliShellApplication.class)
			.properties("spring.shell.interactive.enabled=false", "spring.main.lazy-initialization=true")
			.run(plaintext.toArray(String[]::new))) {
			assertThat(context.getBean(ServiceAddresses.class).tls()).isEqualTo(ClientTls.plaintext());
		}
		assertThat(resolve(plaintext, Map.of(), new Properties()).addresses().tls()).isEqualTo(ClientTls.plaintext());
		ClientTls exported = resolve(List.of(), Map.of("JCILIUM_TLS_ENABLED", "false"), new Properties()).addresses()
			.tls();
		assertThat(exported).isEqualTo(ClientTls.plaintext());
		assertThat(exported.credentials()).isInstanceOf(InsecureChannelCredentials.class);
	}

	// Issue 17: the scripts export JCILIUM_TLS_ENABLED=false and a pod gets the files by
	// environment; the one-shot path must read them as the Spring context binds them.
	@ParameterizedTest
	@ValueSource(strings = { "JCILIUM_TLS_ENABLED=false", "JCILIUM_TLS_ENABLED=true",
			"JCILIUM_TLS_CACERTIFICATE=/e/ca.crt JCILIUM_TLS_CERTIFICATE=/e/tls.crt JCILIUM_TLS_PRIVATEKEY=/e/tls.key",
			"JCILIUM_TLS_CA_CERTIFICATE=/e/ca.crt JCILIUM_TLS_CERTIFICATE=/e/tls.crt JCILIUM_TLS_PRIVATE_KEY=/e/tls.key",
			"JCILIUM_TLS_ENABLED=false --jcilium.tls.enabled=true",
			"JCILIUM_TLS_CA_CERTIFICATE=/e/ca.crt JCILIUM_TLS_CERTIFICATE=/e/tls.crt JCILIUM_TLS_PRIVATE_KEY=/e/tls.key "
					+ "--jcilium.tls.certificate=/a/tls.crt" })
	void readsTheTlsEnvironmentAsSpringBootBindsIt(String setting) {
		Map<String, Object> environment = new HashMap<>();
		List<String> properties = new ArrayList<>();
		for (String word : setting.split(" ")) {
			if (word.startsWith("--")) {
				properties.add(word);
			}
			else {
				environment.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
			}
		}
		Map<String, String> variables = new HashMap<>();
		environment.forEach((name, value) -> variables.put(name, (String) value));

		OneShotSettings settings = resolve(properties, variables, new Properties());

		StandardEnvironment springEnvironment = new StandardEnvironment();
		springEnvironment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
		springEnvironment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CliShellApplication.class)
			.environment(springEnvironment)
			.properties("spring.shell.interactive.enabled=false", "spring.main.lazy-initialization=true")
			.run(properties.toArray(String[]::new))) {
			assertThat(settings).as("read on the one-shot path").isNotNull();
			assertThat(settings.addresses().tls()).isEqualTo(context.getBean(ServiceAddresses.class).tls());
		}
	}

	@Test
	void leavesOtherSpellingsOfTheTlsEnvironmentToSpringBoot() {
		assertThat(resolve(List.of(), Map.of("jcilium_tls_enabled", "false"), new Properties())).isNull();
		assertThat(resolve(List.of(), Map.of("JCILIUM_TLS_ENABLED", "off"), new Properties())).isNull();
		assertThat(resolve(List.of(),
				Map.of("JCILIUM_TLS_CA_CERTIFICATE", "/e/ca.crt", "JCILIUM_TLS_CACERTIFICATE", "/f/ca.crt",
						"JCILIUM_TLS_CERTIFICATE", "/e/tls.crt", "JCILIUM_TLS_PRIVATEKEY", "/e/tls.key"),
				new Properties()))
			.isNull();
	}

	private OneShotSettings resolve(List<String> properties, Map<String, String> environment,
			Properties systemProperties) {
		return OneShotSettings.resolve(properties, environment, systemProperties, this.workingDirectory);
	}

}
