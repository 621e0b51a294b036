package io.jcilium.agent.endpoint;

import io.fabric8.kubernetes.client.KubernetesClient;

import io.jcilium.agent.ipcache.IpcacheSync;
import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.k8s.LocalPods;
import io.jcilium.agent.k8s.RetryingWriter;
import io.jcilium.agent.node.NodeAddresses;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the endpoints' CiliumEndpoint objects: one written for every local pod's
 * endpoint, and the other nodes' CiliumEndpoints read into the ipcache and, by address,
 * for Hubble's names of remote pods.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
public class CiliumEndpointConfiguration {

	@Bean
	CiliumEndpointWatcher ciliumEndpointWatcher(ClusterInformers informers, LocalPods pods, IpcacheSync ipcache,
			NodeAddresses nodes) {
		CiliumEndpointWatcher watcher = new CiliumEndpointWatcher(ipcache,
				(namespace, name) -> pods.get(namespace, name) != null, nodes::localAddresses);
		informers.ciliumEndpoints().addEventHandler(watcher.handler());
		return watcher;
	}

	/** Hubble's names of pods of other nodes, by address. */
	@Bean
	CiliumEndpointPods ciliumEndpointPods(ClusterInformers informers) {
		CiliumEndpointPods pods = new CiliumEndpointPods();
		informers.ciliumEndpoints().addEventHandler(pods.handler());
		return pods;
	}

	@Bean
	CiliumEndpointWriter ciliumEndpointWriter(KubernetesClient client, RetryingWriter writer,
			ClusterInformers informers, LocalPods pods, PodMetadataSource metadata, NodeAddresses nodes,
			ObjectProvider<PolicyStatusSource> policies) {
		PolicyStatusSource policy = policies.getIfAvailable(() -> PolicyStatusSource.NONE);
		CiliumEndpointWriter endpoints = new CiliumEndpointWriter(client, writer, pods::get, metadata,
				nodes::localAddresses, policy);
		informers.pods().addEventHandler(pods.only(endpoints.pods()));
		policy.onChange(endpoints::policyChanged);
		return endpoints;
	}

}
