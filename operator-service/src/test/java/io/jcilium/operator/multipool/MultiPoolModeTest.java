package io.jcilium.operator.multipool;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class MultiPoolModeTest {

	@ParameterizedTest
	@CsvSource({ "'', '', false", "'', cluster-pool, false", "'', multi-pool, true", "true, cluster-pool, true",
			"false, multi-pool, false", "true, '', true" })
	void runsInMultiPoolModeUnlessEnabledSaysOtherwise(String enabled, String mode, boolean runs) {
		ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Guarded.class);
		if (!enabled.isEmpty()) {
			runner = runner.withPropertyValues(MultiPoolMode.ENABLED + "=" + enabled);
		}
		if (!mode.isEmpty()) {
			runner = runner.withPropertyValues(MultiPoolMode.IPAM_MODE + "=" + mode);
		}
		runner.run((context) -> assertThat(context.containsBean("guarded")).isEqualTo(runs));
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(MultiPoolMode.class)
	static class Guarded {

		@Bean
		String guarded() {
			return "multi-pool";
		}

	}

}
