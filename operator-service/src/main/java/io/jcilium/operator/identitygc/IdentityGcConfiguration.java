package io.jcilium.operator.identitygc;

import java.time.Clock;
import java.time.Duration;

import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.tls.MutualTlsClientSetting;
import io.jcilium.operator.k8s.SharedInformers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Wires identity GC (a leader task) to identity-service over gRPC.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "jcilium.operator.identity-gc.enabled", matchIfMissing = true)
class IdentityGcConfiguration {

	/**
	 * With mTLS on, the operator starts only when its channels (addresses, which take the
	 * default channel's settings) have a certificate.
	 */
	@Bean
	MutualTlsClientSetting identityGcTlsSetting() {
		return new MutualTlsClientSetting("spring.grpc.client.default-channel.ssl.bundle");
	}

	@Bean
	IdentityGcMetrics identityGcMetrics() {
		return new IdentityGcMetrics();
	}

	@Bean
	IdentityGcController identityGcController(SharedInformers informers, GrpcChannelFactory channels,
			IdentityGcProperties properties, IdentityGcMetrics metrics) {
		// The channel connects lazily: no I/O until the first pass as leader.
		IdentityRegistry registry = new GrpcIdentityRegistry(
				IdentityServiceGrpc.newBlockingStub(channels.createChannel(properties.identityTarget())),
				properties.identityDeadlineMillis());
		IdentityGarbageCollector collector = new IdentityGarbageCollector(registry,
				Duration.ofSeconds(properties.graceSeconds()), Clock.systemUTC(), metrics);
		return new IdentityGcController(informers, properties.endpointApiVersion(), collector,
				Duration.ofSeconds(properties.intervalSeconds()));
	}

}
