package io.jcilium.operator.lbipam;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * LB-IPAM settings ({@code jcilium.operator.lbipam.*}).
 *
 * @param enabled whether the operator assigns LoadBalancer addresses
 * @param poolApiVersion the {@code apiVersion} pools are read and written with
 * @param resyncSeconds how often to reconcile everything even without events
 */
@ConfigurationProperties("jcilium.operator.lbipam")
public record LbIpamProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("cilium.io/v2alpha1") String poolApiVersion, @DefaultValue("30") int resyncSeconds) {

	public LbIpamProperties {
		if (!poolApiVersion.matches("[a-z0-9.-]+/v[0-9a-z]+")) {
			throw new IllegalArgumentException("jcilium.operator.lbipam.pool-api-version '" + poolApiVersion
					+ "' must be group/version, e.g. cilium.io/v2alpha1");
		}
	}

}
