package io.jcilium.agent.node;

import io.jcilium.agent.endpoint.EndpointProperties;
import io.jcilium.agent.ipcache.IpcacheSync;
import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.k8s.KubernetesProperties;
import io.jcilium.agent.k8s.NodeProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the node feature: this node's pod CIDR (from its CiliumNode, else the configured
 * one) and the node watcher, which feeds other nodes' prefixes into the ipcache. Without
 * Kubernetes only the configured pod CIDR remains.
 */
@Configuration(proxyBeanMethods = false)
public class NodeConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "false")
	static class Disabled {

		@Bean
		NodeCidrSource nodeCidrSource(EndpointProperties endpoint) {
			return new CiliumNodeCidrSource(endpoint.ipam().podCidr());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
	static class Enabled {

		@Bean
		CiliumNodeCidrSource nodeCidrSource(EndpointProperties endpoint, KubernetesProperties properties) {
			return new CiliumNodeCidrSource(endpoint.ipam().podCidr(), properties.podCidrWait());
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
