package io.jcilium.operator.multipool;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.tls.MutualTlsClientSetting;
import io.jcilium.operator.k8s.SharedInformers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Wires multi-pool IPAM (a leader task) to ipam-service over gRPC, in multi-pool IPAM
 * mode only unless {@code jcilium.operator.multi-pool.enabled} says otherwise.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(MultiPoolMode.class)
class MultiPoolConfiguration {

	/**
	 * With mTLS on, the operator starts only when its channels (addresses, which take the
	 * default channel's settings) have a certificate.
	 */
	@Bean
	MutualTlsClientSetting multiPoolTlsSetting() {
		return new MutualTlsClientSetting("spring.grpc.client.default-channel.ssl.bundle");
	}

	@Bean
	MultiPoolController multiPoolController(KubernetesClient client, SharedInformers informers,
			GrpcChannelFactory channels, MultiPoolProperties properties) {
		// The channel connects lazily: no I/O until the first pass as leader.
		PoolIpam ipam = new GrpcPoolIpam(
				IpamServiceGrpc.newBlockingStub(channels.createChannel(properties.ipamTarget())),
				properties.ipamDeadlineMillis());
		return new MultiPoolController(client, informers, properties.ciliumNodeApiVersion(), ipam,
				Duration.ofSeconds(properties.resyncSeconds()));
	}

}
