package io.jcilium.redis;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

	@Test
	void aRefusalAfterAConnectionRefusedOnceStillStopsTheStart() {
		AtomicInteger calls = new AtomicInteger();
		RedisCredentialsCheck check = new RedisCredentialsCheck("test-service", factory(() -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("Unable to connect to Redis",
						new java.net.ConnectException("Connection refused"));
			}
			throw new IllegalStateException("Unable to connect", new RuntimeException("NOAUTH HELLO must be called"));
		}), details());

		assertThatThrownBy(() -> check.run(null)).hasMessageContaining("refused test-service's credentials (NOAUTH");
		assertThat(calls).hasValue(2);
	}

	@Test
	void aRedisThatStaysUnreachableIsAnOutageAfterTheAttempts() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		RedisCredentialsCheck check = new RedisCredentialsCheck("test-service", factory(() -> {
			calls.incrementAndGet();
			throw new IllegalStateException("Unable to connect to Redis",
					new java.net.ConnectException("Connection refused"));
		}), details());

		check.run(null);

		assertThat(calls).hasValue(RedisCredentialsCheck.ATTEMPTS);
	}

	private static RedisConnectionFactory factory(Runnable connect) {
		return (RedisConnectionFactory) Proxy.newProxyInstance(RedisCredentialsCheckTest.class.getClassLoader(),
				new Class<?>[] { RedisConnectionFactory.class }, (proxy, method, args) -> {
					if (method.getName().equals("getConnection")) {
						connect.run();
					}
					throw new UnsupportedOperationException(method.getName());
				});
	}

	private static DataRedisConnectionDetails details() {
		return new DataRedisConnectionDetails() {
		};
	}

}
