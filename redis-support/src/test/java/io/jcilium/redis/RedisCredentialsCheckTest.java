package io.jcilium.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures count as Redis refusing the credentials (the service stops) and which as
 * an outage (the service waits). The whole check against a real Redis with requirepass is
 * each service's {@code RedisPasswordIT}.
 */
class RedisCredentialsCheckTest {

	@Test
	void aWrongPasswordIsARefusalQuotedFromItsCode() {
		assertThat(RedisCredentialsCheck.refusal(new IllegalStateException(
				"Unable to connect: WRONGPASS invalid username-password pair or user is disabled.")))
			.isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
	}

	@Test
	void noPasswordIsARefusalFoundDeepInTheCauseChain() {
		RuntimeException failure = new RuntimeException("Unable to connect to Redis",
				new IllegalStateException("handshake failed", new RuntimeException("NOAUTH HELLO must be called")));

		assertThat(RedisCredentialsCheck.refusal(failure)).isEqualTo("NOAUTH HELLO must be called");
	}

	@Test
	void aConnectionRefusedOrAFailureWithoutMessageIsAnOutage() {
		assertThat(RedisCredentialsCheck.refusal(new RuntimeException("Unable to connect to Redis",
				new java.net.ConnectException("Connection refused"))))
			.isNull();
		assertThat(RedisCredentialsCheck.refusal(new RuntimeException((String) null))).isNull();
	}

}
