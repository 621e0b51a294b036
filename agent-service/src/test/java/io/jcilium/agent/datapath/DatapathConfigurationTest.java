package io.jcilium.agent.datapath;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The datapath cell stays out of the context unless enabled, so the agent starts where
 * BPF is not allowed; its settings bind with their defaults and reject nonsense.
 */
class DatapathConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class, DatapathConfiguration.class);

	@Test
	void disabledByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DatapathLifecycle.class);
			DatapathProperties properties = context.getBean(DatapathProperties.class);
			assertThat(properties.enabled()).isFalse();
			assertThat(properties.bpffsRoot()).hasToString("/sys/fs/bpf");
			assertThat(properties.prefix()).isEqualTo("jcilium");
			assertThat(properties.conntrackGcIntervalSeconds()).isEqualTo(60);
		});
	}

	@Test
	void nonPositiveSweepIntervalIsRejectedWithThePropertyName() {
		this.runner.withPropertyValues("jcilium.datapath.conntrack-gc-interval-seconds=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("jcilium.datapath.conntrack-gc-interval-seconds"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DatapathProperties.class)
	static class PropertiesOnly {

	}

}
