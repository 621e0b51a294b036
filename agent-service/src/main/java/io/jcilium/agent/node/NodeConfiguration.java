package io.jcilium.agent.node;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jcilium.agent.endpoint.EndpointProperties;
import io.jcilium.agent.ipcache.IpcacheSync;
import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.k8s.KubernetesProperties;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.jobs.Jobs;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the node feature: this node's pod CIDR (from its CiliumNode, never a default) and
 * the node watcher, which feeds other nodes' prefixes into the ipcache. Without
 * Kubernetes the configured pod CIDR is the node's.
 */
@Configuration(proxyBeanMethods = false)
public class NodeConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "false")
	static class Disabled {

		@Bean
		ConfiguredNodeCidr nodeCidrSource(EndpointProperties endpoint) {
			return new ConfiguredNodeCidr(endpoint.ipam().podCidr());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
	static class Enabled {

		@Bean
		CiliumNodeCidrSource nodeCidrSource(NodeProperties node, KubernetesProperties properties) {
			return new CiliumNodeCidrSource(node.nodeName(), properties.podCidrWait());
		}

		/**
		 * Multi-pool IPAM: pod addresses from the pool blocks of this node's CiliumNode,
		 * and the node's requests written back to it.
		 */
		@Bean
		@ConditionalOnProperty(name = "jcilium.agent.ipam.mode", havingValue = EndpointProperties.Ipam.MULTI_POOL)
		MultiPoolNode multiPoolNode(ClusterInformers informers, KubernetesClient client, NodeProperties node,
				KubernetesProperties properties, EndpointProperties endpoint, Jobs agentJobs) {
			Duration resync = properties.resync().isZero() ? Duration.ofMinutes(5) : properties.resync();
			MultiPoolNode pools = new MultiPoolNode(node.nodeName(), endpoint.ipam().preAllocation(),
					properties.podCidrWait(),
					(patch) -> client.resources(CiliumNode.class)
						.withName(node.nodeName())
						.patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(patch)),
					agentJobs, resync);
			informers.ciliumNodes().addEventHandler(pools.handler());
			return pools;
		}

		@Bean
		NodeWatcher nodeWatcher(ClusterInformers informers, NodeProperties node, IpcacheSync ipcache,
				CiliumNodeCidrSource cidrs) {
			NodeWatcher watcher = new NodeWatcher(node.nodeName(), ipcache, cidrs);
			informers.ciliumNodes().addEventHandler(watcher.ciliumNodes());
			informers.node().addEventHandler(watcher.node());
			return watcher;
		}

	}

}
