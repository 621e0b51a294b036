package io.jcilium.ipam;

import java.io.IOException;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.jcilium.testsupport.ServiceSmokeChecks;
import io.jcilium.testsupport.ServiceSmokeTests;
import org.junit.jupiter.api.Test;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Starts the whole ipam-service on random ports, as its jar would start, and checks what
 * every deployment relies on: the probes, {@code info}, Prometheus metrics and the
 * standard gRPC health check, which follows actuator health. No Redis is reachable on
 * purpose: the service must start anyway and report Redis as down.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.grpc.server.port=0" })
class IpamServiceApplicationIT extends ServiceSmokeTests {

	@LocalGrpcPort
	int grpcPort;

	@DynamicPropertySource
	static void redisWhereNothingListens(DynamicPropertyRegistry registry) throws IOException {
		int closedPort = ServiceSmokeChecks.portWhereNothingListens();
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", () -> closedPort);
	}

	@Override
	protected String serviceName() {
		return "ipam-service";
	}

	@Test
	void healthReportsRedisDownWhileTheServiceRuns() throws Exception {
		smoke().healthIsDownBecauseOf("redis");
	}

	@Test
	void grpcHealthCheckAnswersNotServingWhileRedisIsDown() throws Exception {
		ServiceSmokeChecks.awaitGrpcHealth(this.grpcPort, "", ServingStatus.NOT_SERVING);
		ServiceSmokeChecks.awaitGrpcHealth(this.grpcPort, "redis", ServingStatus.NOT_SERVING);
	}

}
