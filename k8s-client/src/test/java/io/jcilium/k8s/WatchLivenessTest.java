package io.jcilium.k8s;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WatchLivenessTest {

	@Test
	void theDefaultEndsADeadWatchWithin35Seconds() {
		assertThat(WatchLiveness.DEFAULT.bound()).isEqualTo(Duration.ofSeconds(35));
	}

	@Test
	void aZeroPingIntervalOrCloseTimeoutIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WatchLiveness(Duration.ZERO, Duration.ofSeconds(1)))
			.withMessageContaining("ping interval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WatchLiveness(Duration.ofSeconds(1), Duration.ofMillis(500)))
			.withMessageContaining("close timeout");
	}

}
