package io.jcilium.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrerequisitesTest {

	@ParameterizedTest
	@ValueSource(strings = { "true", "TRUE", "True", " true " })
	void inCiAMissingPrerequisiteFailsTheTest(String ci) {
		assertThatThrownBy(() -> Prerequisites.missing("redis-server is not on the PATH", ci))
			.isInstanceOf(AssertionFailedError.class)
			.hasMessageContaining("redis-server is not on the PATH")
			.hasMessageContaining("CI=true");
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "", "1", "yes" })
	void outsideCiAMissingPrerequisiteSkipsTheTest(String ci) {
		assertThatThrownBy(() -> Prerequisites.missing("kubectl is not installed", ci))
			.isInstanceOf(TestAbortedException.class)
			.hasMessageContaining("kubectl is not installed");
	}

	@Test
	void withoutTheVariableAMissingPrerequisiteSkipsTheTest() {
		assertThatThrownBy(() -> Prerequisites.missing("podman is not installed", null))
			.isInstanceOf(TestAbortedException.class);
	}

	@Test
	void findsAnExecutableOnThePath() {
		assertThat(Prerequisites.onPath("sh")).isTrue();
		assertThat(Prerequisites.onPath("no-such-executable-" + System.nanoTime())).isFalse();
	}

}
