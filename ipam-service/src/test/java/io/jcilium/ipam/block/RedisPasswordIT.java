package io.jcilium.ipam.block;

import io.jcilium.api.ipam.v1.AllocateNodeCidrsRequest;
import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ipam-service against a real Redis with {@code requirepass}: the right password (as the
 * chart passes it, SPRING_DATA_REDIS_PASSWORD) allocates node CIDRs; a wrong or missing
 * one stops the service at start with an error naming the setting, instead of a service
 * that stays up reporting Redis down while every node waits for its pod CIDR.
 */
class RedisPasswordIT {

	private static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());

	@RegisterExtension
	static final RedisServer redis = RedisServer.withPassword(PASSWORD);

	@Test
	void theRightPasswordAllocatesNodeCidrs() throws Exception {
		try (RunningIpamService service = RunningIpamService.start(redis.port(),
				"spring.data.redis.password=" + PASSWORD)) {
			NodeCidrs cidrs = service.operator()
				.allocateNodeCidrs(AllocateNodeCidrsRequest.newBuilder().setNode("password-node").build());

			assertThat(cidrs.getPodCidrsList()).singleElement().asString().startsWith("10.0.").endsWith("/24");
		}
	}

	@Test
	void aWrongPasswordStopsTheStartWithAnErrorNamingTheSetting() {
		assertThatThrownBy(() -> RunningIpamService.start(redis.port(), "spring.data.redis.password=wrong"))
			.hasStackTraceContaining("refused ipam-service's credentials (WRONGPASS")
			.hasStackTraceContaining("set spring.data.redis.password");
	}

	@Test
	void noPasswordAtAllIsRefusedTheSameWay() {
		assertThatThrownBy(() -> RunningIpamService.start(redis.port()))
			.hasStackTraceContaining("refused ipam-service's credentials (NOAUTH")
			.hasStackTraceContaining("SPRING_DATA_REDIS_PASSWORD");
	}

	@Test
	void anUnreachableRedisIsAnOutageTheServiceWaitsOut() throws Exception {
		redis.kill();
		try (RunningIpamService service = RunningIpamService.start(redis.port(),
				"spring.data.redis.password=" + PASSWORD)) {
			assertThat(service.actuator("/actuator/health/redis")).contains("DOWN");
		}
		finally {
			redis.start();
		}
	}

}
