package io.jcilium.identity.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

	@Test
	void doublesUpToTheMaxWithinAFifthOfJitterAndResets() {
		Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500));
		assertThat(backoff.nextDelayMillis()).isBetween(80L, 120L);
		assertThat(backoff.nextDelayMillis()).isBetween(160L, 240L);
		assertThat(backoff.nextDelayMillis()).isBetween(320L, 480L);
		assertThat(backoff.nextDelayMillis()).isBetween(400L, 600L);
		assertThat(backoff.nextDelayMillis()).isBetween(400L, 600L);
		backoff.reset();
		assertThat(backoff.nextDelayMillis()).isBetween(80L, 120L);
	}

}
