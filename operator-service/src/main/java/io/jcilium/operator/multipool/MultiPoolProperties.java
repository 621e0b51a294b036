package io.jcilium.operator.multipool;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Multi-pool IPAM settings ({@code jcilium.operator.multi-pool.*}).
 *
 * @param enabled whether CiliumPodIPPools and node pool requests are served; unset, they
 * are in multi-pool IPAM mode only ({@code jcilium.operator.node.ipam-mode}, see
 * {@link MultiPoolMode})
 * @param ciliumNodeApiVersion the CiliumNodes' {@code apiVersion}
 * @param resyncSeconds how often to reconcile everything even without events
 * @param ipamTarget ipam-service's gRPC target, e.g. {@code static://ipam-service:9282}
 * @param ipamDeadlineMillis deadline of each call to ipam-service
 */
@ConfigurationProperties("jcilium.operator.multi-pool")
public record MultiPoolProperties(Boolean enabled, @DefaultValue("cilium.io/v2") String ciliumNodeApiVersion,
		@DefaultValue("30") int resyncSeconds, @DefaultValue("static://localhost:9282") String ipamTarget,
		@DefaultValue("5000") long ipamDeadlineMillis) {

}
