package io.jcilium.operator.endpointgc;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * CiliumEndpoint GC settings ({@code jcilium.operator.endpoint-gc.*}).
 *
 * @param enabled whether to collect
 * @param endpointApiVersion the CiliumEndpoints' {@code apiVersion}
 * @param intervalSeconds how often to collect (upstream's {@code endpoint-gc-interval}
 * defaults to 5 minutes)
 */
@ConfigurationProperties("jcilium.operator.endpoint-gc")
public record EndpointGcProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("cilium.io/v2") String endpointApiVersion, @DefaultValue("300") int intervalSeconds) {

}
