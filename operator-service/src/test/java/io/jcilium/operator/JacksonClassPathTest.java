package io.jcilium.operator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The service runs on Jackson 2 alone (fabric8 needs it): Jackson 3 would load ~700 more
 * classes beside it (docs/benchmarks.md). Fails when a dependency brings Jackson 3 back.
 */
class JacksonClassPathTest {

	@Test
	void jackson3IsNotOnTheClassPath() {
		assertThatExceptionOfType(ClassNotFoundException.class)
			.isThrownBy(() -> Class.forName("tools.jackson.databind.ObjectMapper"));
		assertThatExceptionOfType(ClassNotFoundException.class)
			.isThrownBy(() -> Class.forName("org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"));
	}

}
