package io.jcilium.operator.node;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Node lifecycle settings ({@code jcilium.operator.node.*}).
 *
 * @param enabled whether the operator manages CiliumNodes
 * @param ciliumNodeApiVersion the {@code apiVersion} CiliumNodes are written with
 * @param resyncSeconds how often to reconcile everything even without events
 * @param ipamTarget ipam-service's gRPC target: a channel name from
 * {@code spring.grpc.client.channels} or an address such as
 * {@code static://ipam-service:9282}
 * @param ipamDeadlineMillis deadline of each call to ipam-service
 * @param ipamMode upstream's {@code ipam} option, {@code cluster-pool} (each CiliumNode
 * gets pod CIDRs in {@code spec.ipam.podCIDRs}) or {@code multi-pool} (none: nodes get
 * pool blocks only)
 */
@ConfigurationProperties("jcilium.operator.node")
public record NodeLifecycleProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("cilium.io/v2") String ciliumNodeApiVersion, @DefaultValue("30") int resyncSeconds,
		@DefaultValue("static://localhost:9282") String ipamTarget, @DefaultValue("5000") long ipamDeadlineMillis,
		@DefaultValue("cluster-pool") String ipamMode) {

	public NodeLifecycleProperties {
		IpamMode.of(ipamMode);
	}

}
