package io.jcilium.agent.service;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tc LB settings: random selection by default, Maglev with the upstream default table
 * size, and a table size that is not a supported prime refused at start naming the
 * setting.
 */
class ServicePropertiesTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class);

	@Test
	void randomByDefaultAndMaglevWithUpstreamsDefaultTableSize() {
		this.runner.run((context) -> {
			ServiceProperties properties = context.getBean(ServiceProperties.class);
			assertThat(properties.nodePortDevices()).isEmpty();
			assertThat(properties.effectiveMaglevTableSize()).isZero();
		});
		this.runner.withPropertyValues("jcilium.service.algorithm=maglev")
			.run((context) -> assertThat(context.getBean(ServiceProperties.class).effectiveMaglevTableSize())
				.isEqualTo(16381));
	}

	@Test
	void aMaglevTableSizeThatIsNotASupportedPrimeIsRefused() {
		this.runner.withPropertyValues("jcilium.service.algorithm=maglev", "jcilium.service.maglev-table-size=1000")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("jcilium.service.maglev-table-size")
				.hasMessageContaining("1000"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ServiceProperties.class)
	static class PropertiesOnly {

	}

}
