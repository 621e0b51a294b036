package io.jcilium.identity.redis;

import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.identity.testsupport.RunningIdentityService;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * identity-service against a real {@code redis-server} that speaks TLS only (its plain
 * port closed, a certificate from a CA made for the test), configured with exactly the
 * properties the chart renders for {@code global.redis.tls.enabled}: identities are
 * allocated and kept (a new instance answers the same number for the same labels); a
 * service that does not speak TLS, or does not trust Redis's CA, never gets in.
 */
class RedisTlsIT {

	private static final String PASSWORD = "tls-" + Long.toHexString(System.nanoTime());

	@RegisterExtension
	static final RedisServer redis = RedisServer.withTls(PASSWORD);

	@Test
	void allocatesOverTlsWithTheChartsSettings() throws Exception {
		AllocateRequest request = AllocateRequest.newBuilder().addLabels("k8s:app=tls").setNode("n1").build();
		long id;
		try (RunningIdentityService service = RunningIdentityService.start(redis.port(), chartSettings())) {
			id = service.blocking().allocate(request).getIdentity().getId();
			assertThat(id).isGreaterThanOrEqualTo(256);
			assertThat(service.actuator("/actuator/health/redis")).contains("\"UP\"");
		}
		try (RunningIdentityService again = RunningIdentityService.start(redis.port(), chartSettings())) {
			assertThat(again.blocking().allocate(request).getIdentity().getId()).isEqualTo(id);
		}
	}

	@Test
	void aServiceThatDoesNotSpeakTlsNeverGetsIn() throws Exception {
		try (RunningIdentityService service = RunningIdentityService.start(redis.port(),
				"spring.data.redis.password=" + PASSWORD)) {
			assertThat(service.actuator("/actuator/health/redis")).contains("DOWN");
		}
	}

	@Test
	void aServiceThatDoesNotTrustRedisCaNeverGetsIn() throws Exception {
		// The JVM's default trust store: Redis's certificate chains to none of its CAs.
		try (RunningIdentityService service = RunningIdentityService.start(redis.port(),
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
