package io.jcilium.identity.redis;

import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.identity.testsupport.RunningIdentityService;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * identity-service against a real Redis with {@code requirepass}: the right password (as
 * the chart passes it, SPRING_DATA_REDIS_PASSWORD) allocates; a wrong or missing one
 * stops the service at start with an error naming the setting, instead of a service that
 * stays up and only ever says it cannot connect.
 */
class RedisPasswordIT {

	private static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());

	@RegisterExtension
	static final RedisServer redis = RedisServer.withPassword(PASSWORD);

	@Test
	void theRightPasswordAllocates() throws Exception {
		try (RunningIdentityService service = RunningIdentityService.start(redis.port(),
				"spring.data.redis.password=" + PASSWORD)) {
			long id = service.blocking()
				.allocate(AllocateRequest.newBuilder().addLabels("k8s:app=password").setNode("n1").build())
				.getIdentity()
				.getId();

			assertThat(id).isGreaterThanOrEqualTo(256);
		}
	}

	@Test
	void aWrongPasswordStopsTheStartWithAnErrorNamingTheSetting() {
		assertThatThrownBy(() -> RunningIdentityService.start(redis.port(), "spring.data.redis.password=wrong"))
			.hasStackTraceContaining("refused identity-service's credentials (WRONGPASS")
			.hasStackTraceContaining("set spring.data.redis.password");
	}

	@Test
	void noPasswordAtAllIsRefusedTheSameWay() {
		assertThatThrownBy(() -> RunningIdentityService.start(redis.port()))
			.hasStackTraceContaining("refused identity-service's credentials (NOAUTH")
			.hasStackTraceContaining("SPRING_DATA_REDIS_PASSWORD");
	}

	@Test
	void anUnreachableRedisIsAnOutageTheServiceWaitsOut() throws Exception {
		// Redis stopped: the service starts and reports Redis down, as before.
		redis.kill();
		try (RunningIdentityService service = RunningIdentityService.start(redis.port(),
				"spring.data.redis.password=" + PASSWORD)) {
			assertThat(service.actuator("/actuator/health/redis")).contains("DOWN");
		}
		finally {
			redis.start();
		}
	}

}
