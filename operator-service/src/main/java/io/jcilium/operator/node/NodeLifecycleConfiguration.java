package io.jcilium.operator.node;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.tls.MutualTlsClientSetting;
import io.jcilium.operator.k8s.SharedInformers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Wires the node lifecycle: ipam-service over gRPC, and the controller, which runs as a
 * {@link io.jcilium.operator.election.LeaderTask} (only on the leader).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "jcilium.operator.node.enabled", matchIfMissing = true)
class NodeLifecycleConfiguration {

	/**
	 * With mTLS on, the operator starts only when its channels (addresses, which take the
	 * default channel's settings) have a certificate.
	 */
	@Bean
	MutualTlsClientSetting nodeLifecycleTlsSetting() {
		return new MutualTlsClientSetting("spring.grpc.client.default-channel.ssl.bundle");
	}

	@Bean
	NodeCidrAllocator nodeCidrAllocator(GrpcChannelFactory channels, NodeLifecycleProperties properties) {
		// Channels connect lazily: no I/O until the first pass as leader.
		return new GrpcNodeCidrAllocator(
				IpamServiceGrpc.newBlockingStub(channels.createChannel(properties.ipamTarget())),
				properties.ipamDeadlineMillis());
	}

	@Bean
	NodeController nodeController(KubernetesClient client, SharedInformers informers, NodeCidrAllocator allocator,
			NodeLifecycleProperties properties) {
		return new NodeController(client, informers, properties.ciliumNodeApiVersion(), allocator,
				IpamMode.of(properties.ipamMode()), Duration.ofSeconds(properties.resyncSeconds()));
	}

}
