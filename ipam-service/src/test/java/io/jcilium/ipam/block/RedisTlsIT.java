package io.jcilium.ipam.block;

import io.jcilium.api.ipam.v1.AllocateNodeCidrsRequest;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ipam-service against a real {@code redis-server} that speaks TLS only (its plain port
 * closed, a certificate from a CA made for the test), configured with exactly the
 * properties the chart renders for {@code global.redis.tls.enabled}: allocations work and
 * survive a restart of the service; a service that does not speak TLS, or does not trust
 * Redis's CA, never gets in.
 */
class RedisTlsIT {

	private static final String PASSWORD = "tls-" + Long.toHexString(System.nanoTime());

	@RegisterExtension
	static final RedisServer redis = RedisServer.withTls(PASSWORD);

	@Test
	void allocatesOverTlsWithTheChartsSettings() throws Exception {
		NodeCidrs allocated;
		try (RunningIpamService service = RunningIpamService.start(redis.port(), chartSettings())) {
			allocated = service.operator()
				.allocateNodeCidrs(AllocateNodeCidrsRequest.newBuilder().setNode("tls-node").build());
			assertThat(allocated.getPodCidrsList()).hasSize(1);
			assertThat(service.actuator("/actuator/health/redis")).contains("\"UP\"");
		}
		// Kept in the TLS Redis: a new instance reads the same allocation back.
		try (RunningIpamService again = RunningIpamService.start(redis.port(), chartSettings())) {
			assertThat(again.operator()
				.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("tls-node").build())
				.getPodCidrsList()).isEqualTo(allocated.getPodCidrsList());
		}
	}

	@Test
	void aServiceThatDoesNotSpeakTlsNeverGetsIn() throws Exception {
		try (RunningIpamService service = RunningIpamService.start(redis.port(),
				"spring.data.redis.password=" + PASSWORD)) {
			assertThat(service.actuator("/actuator/health/redis")).contains("DOWN");
		}
	}

	@Test
	void aServiceThatDoesNotTrustRedisCaNeverGetsIn() throws Exception {
		// The JVM's default trust store: Redis's certificate chains to none of its CAs.
		try (RunningIpamService service = RunningIpamService.start(redis.port(),
				"spring.data.redis.password=" + PASSWORD, "spring.data.redis.ssl.enabled=true")) {
			assertThat(service.actuator("/actuator/health/redis")).contains("DOWN");
		}
	}

	// What helm/jcilium's common chart (jcilium.redisSettings) renders with TLS on.
	private static String[] chartSettings() {
		return new String[] { "spring.data.redis.password=" + PASSWORD, "spring.data.redis.ssl.enabled=true",
				"spring.data.redis.ssl.bundle=redis",
				"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + redis.caCertificate() };
	}

}
