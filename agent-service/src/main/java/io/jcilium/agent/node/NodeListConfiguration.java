package io.jcilium.agent.node;

import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.k8s.NodeProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node list read endpoint, over the CiliumNode informer; without Kubernetes the agent
 * knows no other node and serves none.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
public class NodeListConfiguration {

	@Bean
	NodeListEndpoint nodeListEndpoint(ClusterInformers informers, NodeProperties node) {
		return new NodeListEndpoint(() -> informers.ciliumNodes().getStore().list(), node.clusterName(),
				node.nodeName());
	}

}
