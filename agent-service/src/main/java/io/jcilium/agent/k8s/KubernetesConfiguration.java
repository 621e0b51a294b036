package io.jcilium.agent.k8s;

import java.time.Clock;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jcilium.agent.datapath.IpcacheUpdates;
import io.jcilium.agent.endpoint.EndpointProperties;
import io.jcilium.agent.endpoint.PodMetadataListener;
import io.jcilium.agent.policy.PolicyUpdates;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Kubernetes cell: the client, the informers (started by
 * {@link ClusterInformers} as a lifecycle), and the handlers that turn their events into
 * pod metadata, policies, ipcache entries and CiliumEndpoint objects. With
 * {@code jcilium.agent.k8s.enabled=false} only the configured pod CIDR remains.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ KubernetesProperties.class, NodeProperties.class })
public class KubernetesConfiguration {

	private static final Logger log = LoggerFactory.getLogger(KubernetesConfiguration.class);

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "jcilium.agent.k8s.enabled", havingValue = "false")
	static class Disabled {

		@Bean
		NodeCidrSource nodeCidrSource(EndpointProperties endpoint) {
			return new CiliumNodeCidrSource(endpoint.ipam().podCidr());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "jcilium.agent.k8s.enabled", havingValue = "true", matchIfMissing = true)
	static class Enabled {

		/**
		 * The usual configuration (in-cluster service account, else
		 * {@code KUBECONFIG}/{@code ~/.kube/config}); building it does no I/O. Tests and
		 * Spring Cloud Kubernetes may provide their own.
		 */
		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		KubernetesClient kubernetesClient() {
			return new KubernetesClientBuilder().build();
		}

		@Bean
		ClusterInformers clusterInformers(KubernetesClient client, KubernetesProperties properties,
				NodeProperties node) {
			log.info("Watching the API server at {} as node {} ({})", client.getMasterUrl(), node.nodeName(),
					properties);
			return new ClusterInformers(client, node.nodeName(), properties.resync(), properties.podFieldSelector());
		}

		@Bean
		LocalPods localPods(ClusterInformers informers, NodeProperties node) {
			return new LocalPods(node.nodeName(), informers.pods().getStore());
		}

		@Bean(destroyMethod = "close")
		RetryingWriter kubernetesWriter(KubernetesProperties properties) {
			return new RetryingWriter("k8s-writer", properties.writeRetryMin(), properties.writeRetryMax());
		}

		@Bean
		InformerPodMetadataSource podMetadataSource(ClusterInformers informers, LocalPods pods, NodeProperties node,
				ObjectProvider<PodMetadataListener> listeners) {
			InformerPodMetadataSource source = new InformerPodMetadataSource(pods::get,
					(namespace) -> informers.namespaces().getStore().getByKey(namespace), node.clusterName());
			PodMetadataNotifier notifier = new PodMetadataNotifier(() -> listeners.orderedStream().toList(),
					pods::inNamespace);
			informers.pods().addEventHandler(pods.only(notifier.pods()));
			informers.namespaces().addEventHandler(notifier.namespaces());
			return source;
		}

		@Bean
		PolicyWatcher policyWatcher(ClusterInformers informers, KubernetesClient client, RetryingWriter writer,
				NodeProperties node, ObjectProvider<PolicyUpdates> updates) {
			PolicyWatcher watcher = new PolicyWatcher(() -> updates.getIfAvailable(NoPolicyUpdates::new),
					new PolicyParser(node.clusterName()), new PolicyYaml(client.getKubernetesSerialization()),
					new PolicyStatusWriter(client, writer, Clock.systemUTC()));
			informers.networkPolicies().addEventHandler(watcher.networkPolicies());
			informers.ciliumNetworkPolicies().addEventHandler(watcher.ciliumPolicies(PolicyKind.CILIUM_NETWORK_POLICY));
			informers.clusterwidePolicies()
				.addEventHandler(watcher.ciliumPolicies(PolicyKind.CILIUM_CLUSTERWIDE_NETWORK_POLICY));
			updates.ifAvailable((policy) -> {
				policy.expectInput("the network policies from the API server", () -> watcher.caughtUpWith(informers));
				// A restored endpoint's named ports come with its pod: rules naming ports
				// must not be computed without them.
				policy.expectInput("this node's pods from the API server", () -> informers.pods().hasSynced());
			});
			return watcher;
		}

		@Bean
		IpcacheSync ipcacheSync(ObjectProvider<IpcacheUpdates> updates) {
			return new IpcacheSync(() -> updates.getIfAvailable(NoIpcacheUpdates::new));
		}

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

		@Bean
		CiliumEndpointWatcher ciliumEndpointWatcher(ClusterInformers informers, LocalPods pods, IpcacheSync ipcache,
				NodeWatcher nodes) {
			CiliumEndpointWatcher watcher = new CiliumEndpointWatcher(ipcache,
					(namespace, name) -> pods.get(namespace, name) != null, nodes::localAddresses);
			informers.ciliumEndpoints().addEventHandler(watcher.handler());
			return watcher;
		}

		@Bean
		CiliumEndpointWriter ciliumEndpointWriter(KubernetesClient client, RetryingWriter writer,
				ClusterInformers informers, LocalPods pods, InformerPodMetadataSource metadata, NodeWatcher nodes) {
			CiliumEndpointWriter endpoints = new CiliumEndpointWriter(client, writer, pods::get, metadata,
					nodes::localAddresses);
			informers.pods().addEventHandler(pods.only(endpoints.pods()));
			return endpoints;
		}

	}

	/** Stands in while no policy cell is wired: says so once per policy, drops it. */
	static final class NoPolicyUpdates implements PolicyUpdates {

		@Override
		public void upsertPolicy(PolicyObject policy) {
			log.info("No policy engine in this agent; {} is not enforced", policy.key());
		}

		@Override
		public void removePolicy(String key) {
		}

		@Override
		public void upsertIdentity(Identity identity) {
		}

		@Override
		public void removeIdentity(long id) {
		}

	}

	/** Stands in while no datapath cell is wired. */
	static final class NoIpcacheUpdates implements IpcacheUpdates {

		@Override
		public void upsert(Cidr prefix, long identity, java.net.InetAddress tunnelEndpoint) {
			log.debug("No datapath in this agent; ipcache {} -> {} dropped", prefix, identity);
		}

		@Override
		public void remove(Cidr prefix) {
		}

	}

}
