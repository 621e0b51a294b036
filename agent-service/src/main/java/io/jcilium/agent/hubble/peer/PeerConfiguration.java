package io.jcilium.agent.hubble.peer;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.k8s.NodeProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires {@code peer.Peer} on the agent: the cluster's peers come from the CiliumNode
 * informer the agent already runs (no second watch; Hubble sees it only as fabric8's
 * interface, the architecture test keeps it off the Kubernetes cell's classes), and
 * Spring gRPC serves the service on the agent's gRPC port beside
 * {@code observer.Observer}. Needs both Hubble and the Kubernetes cell.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "jcilium.agent.hubble", name = "enabled", havingValue = "true", matchIfMissing = true)
public class PeerConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
	@EnableConfigurationProperties(PeerProperties.class)
	static class FromCiliumNodes {

		@Bean
		ClusterPeers hubbleClusterPeers(SharedIndexInformer<CiliumNode> ciliumNodeInformer, NodeProperties node,
				PeerProperties properties) {
			ClusterPeers peers = new ClusterPeers(
					new PeerAddressing(node.clusterName(), properties.port(), properties.tls()));
			ciliumNodeInformer.addEventHandler(peers.ciliumNodes());
			return peers;
		}

		@Bean
		PeerService hubblePeerService(ClusterPeers peers, PeerProperties properties) {
			return new PeerService(peers, properties.maxQueuedNotifications());
		}

	}

}
