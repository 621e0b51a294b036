package io.jcilium.agent.k8s;

import java.io.IOException;
import java.net.ServerSocket;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.endpoint.EndpointListener;
import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.agent.endpoint.PodMetadataSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import io.jcilium.agent.node.NodeCidrSource;

/**
 * The cell switched off leaves only the configured pod CIDR; switched on with no API
 * server to reach, the agent still starts and its informers keep retrying in the
 * background.
 */
class KubernetesCellSwitchIT {

	@Test
	void switchedOffNothingWatchesAndThePodCidrComesFromConfiguration() {
		new ApplicationContextRunner().withUserConfiguration(MockCluster.CONFIGURATIONS)
			.withPropertyValues("jcilium.agent.k8s.enabled=false", "jcilium.agent.ipam.pod-cidr=10.7.0.0/24")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(ClusterInformers.class)
					.doesNotHaveBean(KubernetesClient.class)
					.doesNotHaveBean(PodMetadataSource.class)
					.doesNotHaveBean(EndpointListener.class);
				assertThat(context.getBean(NodeCidrSource.class).podCidr()).contains("10.7.0.0/24");
			});
	}

	@Test
	void unreachableApiServerNeitherFailsStartupNorTheEndpointLifecycle() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		try (KubernetesClient client = new KubernetesClientBuilder()
			.withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port)
				.withConnectionTimeout(500)
				.withRequestTimeout(1000)
				.build())
			.build()) {
			MockCluster.runner(client).run((context) -> {
				assertThat(context).hasNotFailed();
				ClusterInformers informers = context.getBean(ClusterInformers.class);
				assertThat(informers.isRunning()).isTrue();
				assertThat(informers.hasSynced()).isFalse();
				assertThat(context.getBean(PodMetadataSource.class).find("default", "db")).isEmpty();
				// Not the configured one: it waits for the CiliumNode.
				assertThat(context.getBean(NodeCidrSource.class).podCidr()).isEmpty();

				// Nothing known about the pod yet: the endpoint's CiliumEndpoint waits
				// for it,
				// without an error reaching the endpoint lifecycle.
				context.getBean(EndpointListener.class)
					.endpointChanged(new EndpointStatus(1, "c1", "eth0", "lxc1", 3, "default", "db", "10.0.1.9", 0,
							"waiting-for-identity", "endpoint created"));
				assertThat(context.getBean(RetryingWriter.class).pending()).isLessThanOrEqualTo(1);
			});
		}
	}

}
