package io.jcilium.cli.services;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The documented ways to point the console at the services bind as documented.
 */
class ServiceAddressesTest {

	@Test
	void anEnvironmentVariableMovesOneAddressAndKeepsTheOthers() {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addFirst(new MapPropertySource("application.yaml",
				Map.of("jcilium.services.identity.url", "http://localhost:8281", "jcilium.services.identity.grpc",
						"localhost:9281", "jcilium.services.bgp.url", "http://localhost:8283")));
		sources
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("JCILIUM_SERVICES_IDENTITY_URL", "http://10.0.0.5:8281")));

		ServiceAddresses addresses = new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate("jcilium",
				ServiceAddresses.class);

		assertThat(addresses.services()).containsOnlyKeys("identity", "bgp");
		assertThat(addresses.services().get("identity").url()).isEqualTo(URI.create("http://10.0.0.5:8281"));
		assertThat(addresses.services().get("identity").grpc()).isEqualTo("localhost:9281");
		assertThat(addresses.services().get("bgp").grpc()).isNull();
	}

	@Test
	void aServiceWithoutUrlIsRejectedWithAMessageSayingWhatIsMissing() {
		Binder binder = new Binder(
				new MapConfigurationPropertySource(Map.of("jcilium.services.relay.grpc", "localhost:4245")));

		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> binder.bindOrCreate("jcilium", ServiceAddresses.class))
			.havingRootCause()
			.withMessageContaining("a service needs a 'url'");
	}

}
