package io.jcilium.bgp.nodeconfig;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.jcilium.api.tls.MutualTls;
import io.jcilium.api.tls.MutualTlsClientSetting;
import io.jcilium.bgp.agentstate.AgentNodeState;
import io.jcilium.bgp.config.BgpProperties;
import io.jcilium.bgp.reconcile.SpeakerReconciler;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.k8s.KubernetesClients;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the API server mode ({@code bgp.api-server-enabled}): the speaker follows this
 * node's CiliumBGPNodeConfig, written by the operator, and with {@code bgp.agent-address}
 * the local agent's node state for pod CIDRs and service addresses.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("bgp.api-server-enabled")
class NodeConfigConfiguration {

	/**
	 * With mTLS on, the speaker starts only when its channel to the agent has a
	 * certificate.
	 */
	@Bean
	@ConditionalOnProperty("bgp.agent-address")
	MutualTlsClientSetting agentChannelTlsSetting() {
		return new MutualTlsClientSetting("bgp.agent-ssl-bundle");
	}

	/**
	 * The usual configuration (in-cluster service account, else
	 * {@code KUBECONFIG}/{@code ~/.kube/config}); building it does no I/O. Its watches
	 * end within 35 s when their connection goes silent and the informers list again
	 * ({@link KubernetesClients}), as the agent's and the operator's. Tests may provide
	 * their own.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KubernetesClient kubernetesClient() {
		return KubernetesClients.create();
	}

	@Bean
	SpeakerReconciler speakerReconciler(BgpProperties properties) {
		return new SpeakerReconciler((config) -> new BgpSpeaker(config, properties.eventLoopThreads()));
	}

	@Bean(destroyMethod = "shutdownNow")
	@ConditionalOnProperty("bgp.agent-address")
	ManagedChannel agentChannel(BgpProperties properties, ObjectProvider<SslBundles> sslBundles) {
		// The agent on this node, over loopback: mTLS with bgp.agent-ssl-bundle, as the
		// agent's gRPC port requires then; plaintext without.
		String bundle = properties.agentSslBundle();
		return Grpc
			.newChannelBuilder(properties.agentAddress(),
					MutualTls.channelCredentials(MutualTls.isPlaintext(bundle) ? null : sslBundles.getObject(), bundle))
			.build();
	}

	/**
	 * The local agent's node state, with {@code bgp.agent-address}; closed by the
	 * lifecycle below.
	 */
	@Bean(destroyMethod = "")
	@ConditionalOnProperty("bgp.agent-address")
	AgentNodeState agentNodeState(ManagedChannel agentChannel) {
		return new AgentNodeState(agentChannel);
	}

	@Bean
	NodeConfigWatcher nodeConfigWatcher(KubernetesClient client, SpeakerReconciler reconciler, BgpProperties properties,
			ObjectProvider<AgentNodeState> agent) {
		if (properties.nodeName() == null || properties.nodeName().isBlank()) {
			throw new IllegalStateException("bgp.api-server-enabled needs bgp.node-name: the node whose "
					+ "CiliumBGPNodeConfig this speaker runs (the pod's spec.nodeName)");
		}
		AgentNodeState state = agent.getIfAvailable();
		NodeConfigWatcher watcher = new NodeConfigWatcher(client, properties.nodeName(), reconciler,
				Duration.ofSeconds(properties.resyncSeconds()), (state != null) ? state::latest : () -> null,
				properties.secretsNamespace());
		if (state != null) {
			state.onChange(watcher::changed);
		}
		return watcher;
	}

	@Bean
	SmartLifecycle nodeConfigLifecycle(NodeConfigWatcher watcher, SpeakerReconciler reconciler,
			ObjectProvider<AgentNodeState> agent) {
		return new SmartLifecycle() {

			private volatile boolean running;

			@Override
			public void start() {
				watcher.start();
				agent.ifAvailable(AgentNodeState::start);
				this.running = true;
			}

			@Override
			public void stop() {
				// Stop following the API server and the agent first, then tell the peers
				// (RFC 8203).
				agent.ifAvailable(AgentNodeState::close);
				watcher.close();
				reconciler.stop(true);
				this.running = false;
			}

			@Override
			public boolean isRunning() {
				return this.running;
			}

		};
	}

}
