package io.jcilium.agent.k8s;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.api.crd.v2.CiliumNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jcilium.agent.endpoint.EndpointProperties;
import io.jcilium.agent.endpoint.PodMetadataListener;
import io.jcilium.k8s.KubernetesClients;
import io.jcilium.k8s.WatchLiveness;
import io.jcilium.jobs.Jobs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Kubernetes plumbing: the client, the informers (started by
 * {@link ClusterInformers} as a lifecycle), this node's pods, the retrying writer, and
 * the pods' metadata for the endpoints. The features hang their own handlers on the
 * informers (policy, endpoint, node and ipcache watchers). With
 * {@code jcilium.agent.k8s.enabled=false} none of it runs.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ KubernetesProperties.class, NodeProperties.class })
@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
public class KubernetesConfiguration {

	/** The switch of the Kubernetes cell and of every feature's watcher. */
	public static final String ENABLED = "jcilium.agent.k8s.enabled";

	private static final Logger log = LoggerFactory.getLogger(KubernetesConfiguration.class);

	/**
	 * The usual configuration (in-cluster service account, else
	 * {@code KUBECONFIG}/{@code ~/.kube/config}); building it does no I/O. Its watches
	 * end within 35 s when their connection goes silent and the informers list again
	 * ({@link KubernetesClients}). Pods and Nodes are read in {@link ReadForms}. Tests
	 * may provide their own.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KubernetesClient kubernetesClient() {
		return KubernetesClients.create(new ConfigBuilder().build(), WatchLiveness.DEFAULT, ReadForms.serialization());
	}

	@Bean
	ClusterInformers clusterInformers(KubernetesClient client, KubernetesProperties properties, NodeProperties node) {
		log.info("Watching the API server at {} as node {} ({})", client.getMasterUrl(), node.nodeName(), properties);
		return new ClusterInformers(client, node.nodeName(), properties.resync(), properties.podFieldSelector());
	}

	/**
	 * The cluster's CiliumNodes, as the one shared informer, for features that may only
	 * observe through interfaces (Hubble's peer service): no second watch. Stopped with
	 * the others by {@link ClusterInformers}.
	 */
	@Bean(destroyMethod = "")
	SharedIndexInformer<CiliumNode> ciliumNodeInformer(ClusterInformers informers) {
		return informers.ciliumNodes();
	}

	@Bean
	LocalPods localPods(ClusterInformers informers, NodeProperties node) {
		return new LocalPods(node.nodeName(), informers.pods().getStore());
	}

	/** The local pods' workloads, for Hubble's flows. */
	@Bean
	PodWorkloadOwners podWorkloads(LocalPods pods) {
		return new PodWorkloadOwners(pods);
	}

	@Bean
	InformerLocalPodAddresses localPodAddresses(ClusterInformers informers, LocalPods pods) {
		InformerLocalPodAddresses addresses = new InformerLocalPodAddresses(informers.pods()::hasSynced,
				() -> informers.pods().getStore().list().stream().filter(pods::isLocal).toList());
		informers.pods().addEventHandler(pods.only(addresses.handler()));
		informers.whenPodsSynced(addresses::changed);
		return addresses;
	}

	@Bean(destroyMethod = "close")
	RetryingWriter kubernetesWriter(KubernetesProperties properties, Jobs agentJobs) {
		return new RetryingWriter(agentJobs, "k8s-writer", properties.writeRetryMin(), properties.writeRetryMax());
	}

	/** Multi-pool: each new pod's pool from its and its namespace's annotations. */
	@Bean
	@ConditionalOnProperty(name = "jcilium.agent.ipam.mode", havingValue = "multi-pool")
	InformerPodPools podPools(ClusterInformers informers, LocalPods pods, EndpointProperties endpoint) {
		return new InformerPodPools(pods::get, (namespace) -> informers.namespaces().getStore().getByKey(namespace),
				endpoint.ipam().poolWait());
	}

	@Bean
	InformerPodMetadataSource podMetadataSource(ClusterInformers informers, LocalPods pods, NodeProperties node,
			ObjectProvider<PodMetadataListener> listeners) {
		InformerPodMetadataSource source = new InformerPodMetadataSource(pods::get,
				(namespace) -> informers.namespaces().getStore().getByKey(namespace), node.clusterName(),
				node.labelFilter());
		PodMetadataNotifier notifier = new PodMetadataNotifier(() -> listeners.orderedStream().toList(),
				pods::inNamespace);
		informers.pods().addEventHandler(pods.only(notifier.pods()));
		informers.namespaces().addEventHandler(notifier.namespaces());
		return source;
	}

}
