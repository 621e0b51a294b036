package io.jcilium.identity.grpc;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.jcilium.identity.testsupport.RunningIdentityService;
import io.jcilium.testsupport.RedisServer;
import io.jcilium.testsupport.ServiceSmokeChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standard gRPC health check ({@code grpc.health.v1}) tells the truth about
 * identity-service: with Redis killed (SIGKILL) it answers NOT_SERVING, for the whole
 * server and for the {@code redis} component, and SERVING again once Redis is back.
 */
class GrpcHealthFollowsRedisIT {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	@Test
	void notServingWhileRedisIsDownAndServingAgainAfter() throws Exception {
		try (RunningIdentityService service = RunningIdentityService.start(redisServer.port())) {
			int health = service.grpcPort();
			// 'redis' is unknown to the health service until actuator health was first
			// copied
			// over: its SERVING proves the gRPC status comes from the actuator.
			ServiceSmokeChecks.awaitGrpcHealth(health, "redis", ServingStatus.SERVING);
			ServiceSmokeChecks.awaitGrpcHealth(health, "", ServingStatus.SERVING);

			redisServer.kill();
			ServiceSmokeChecks.awaitGrpcHealth(health, "", ServingStatus.NOT_SERVING);
			ServiceSmokeChecks.awaitGrpcHealth(health, "redis", ServingStatus.NOT_SERVING);
			// The same verdict, with its reason, on the actuator, which the gRPC status
			// follows.
			assertThat(service.actuator("/actuator/health/redis")).contains("\"status\":\"DOWN\"");

			redisServer.start();
			ServiceSmokeChecks.awaitGrpcHealth(health, "", ServingStatus.SERVING);
			ServiceSmokeChecks.awaitGrpcHealth(health, "redis", ServingStatus.SERVING);
			assertThat(service.actuator("/actuator/health/redis")).contains("\"status\":\"UP\"");
		}
	}

}
