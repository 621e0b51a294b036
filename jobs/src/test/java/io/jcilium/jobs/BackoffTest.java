package io.jcilium.jobs;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackoffTest {

	private static final RandomGenerator NO_JITTER = new RandomGenerator() {

		@Override
		public long nextLong() {
			return 0;
		}

		@Override
		public long nextLong(long origin, long bound) {
			return 0;
		}

	};

	@Test
	void doublesFromTheInitialDelayUpToTheMax() {
		Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0);
		assertThat(backoff.delay(1, NO_JITTER)).isEqualTo(Duration.ofMillis(100));
		assertThat(backoff.delay(2, NO_JITTER)).isEqualTo(Duration.ofMillis(200));
		assertThat(backoff.delay(4, NO_JITTER)).isEqualTo(Duration.ofMillis(800));
		assertThat(backoff.delay(5, NO_JITTER)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backoff.delay(Integer.MAX_VALUE, NO_JITTER)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void jitterMovesEachDelayByAtMostItsFractionBothWays() {
		Backoff backoff = Backoff.exponential(Duration.ofMillis(1000), Duration.ofSeconds(10));
		RandomGenerator random = new SplittableRandom(42);
		long below = 0;
		long above = 0;
		for (int i = 0; i < 1000; i++) {
			long millis = backoff.delay(1, random).toMillis();
			assertThat(millis).isBetween(800L, 1200L);
			below += (millis < 1000) ? 1 : 0;
			above += (millis > 1000) ? 1 : 0;
		}
		// Spread both ways, so agents that failed together do not retry together.
		assertThat(below).isGreaterThan(100);
		assertThat(above).isGreaterThan(100);
	}

	@Test
	void refusesSettingsThatCannotBackOff() {
		assertThatIllegalArgumentException().isThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)))
			.withMessageContaining("initial delay must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
			.withMessageContaining("shorter than its initial delay");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0))
			.withMessageContaining("jitter must be in [0, 1)");
	}

}
