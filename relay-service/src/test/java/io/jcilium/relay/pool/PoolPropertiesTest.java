package io.jcilium.relay.pool;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PoolPropertiesTest {

	@Test
	void aKeepAliveUnderGrpcsFloorIsRefusedNamingTheSettingAndTheFloor() {
		assertThatIllegalArgumentException().isThrownBy(() -> properties(Duration.ofSeconds(5), Duration.ofSeconds(5)))
			.withMessage(
					"jcilium.relay.pool.keep-alive-time must be at least 10s (gRPC pings no more often), not PT5S");
	}

	@Test
	void aKeepAliveTimeoutMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> properties(Duration.ofSeconds(15), Duration.ZERO))
			.withMessage("jcilium.relay.pool.keep-alive-timeout must be positive, not PT0S");
	}

	@Test
	void theFloorItselfIsAccepted() {
		assertThat(properties(Duration.ofSeconds(10), Duration.ofSeconds(1)).keepAliveTime())
			.isEqualTo(Duration.ofSeconds(10));
	}

	private static PoolProperties properties(Duration keepAliveTime, Duration keepAliveTimeout) {
		return new PoolProperties(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1),
				Duration.ofSeconds(30), null, keepAliveTime, keepAliveTimeout);
	}

}
