package io.jcilium.operator.identitygc;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity GC settings ({@code jcilium.operator.identity-gc.*}).
 *
 * @param enabled whether to collect
 * @param endpointApiVersion the CiliumEndpoints' {@code apiVersion}
 * @param intervalSeconds time between passes (upstream's {@code identity-gc-interval}, 15
 * minutes)
 * @param graceSeconds how long an identity must have been known before it may be released
 * (upstream's {@code identity-heartbeat-timeout}, 30 minutes)
 * @param identityTarget identity-service's gRPC target, e.g.
 * {@code static://identity-service:9281}
 * @param identityDeadlineMillis deadline of each call to identity-service
 */
@ConfigurationProperties("jcilium.operator.identity-gc")
public record IdentityGcProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("cilium.io/v2") String endpointApiVersion, @DefaultValue("900") int intervalSeconds,
		@DefaultValue("1800") int graceSeconds, @DefaultValue("static://localhost:9281") String identityTarget,
		@DefaultValue("5000") long identityDeadlineMillis) {

}
