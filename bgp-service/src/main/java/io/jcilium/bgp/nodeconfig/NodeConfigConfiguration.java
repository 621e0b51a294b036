package io.jcilium.bgp.nodeconfig;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jcilium.bgp.config.BgpProperties;
import io.jcilium.bgp.reconcile.SpeakerReconciler;
import io.jcilium.bgp.session.BgpSpeaker;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the API server mode ({@code bgp.api-server-enabled}): the speaker follows this
 * node's CiliumBGPNodeConfig, written by the operator.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("bgp.api-server-enabled")
class NodeConfigConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KubernetesClient kubernetesClient() {
		return new KubernetesClientBuilder().build();
	}

	@Bean
	SpeakerReconciler speakerReconciler(BgpProperties properties) {
		return new SpeakerReconciler((config) -> new BgpSpeaker(config, properties.eventLoopThreads()));
	}

	@Bean
	NodeConfigWatcher nodeConfigWatcher(KubernetesClient client, SpeakerReconciler reconciler,
			BgpProperties properties) {
		if (properties.nodeName() == null || properties.nodeName().isBlank()) {
			throw new IllegalStateException("bgp.api-server-enabled needs bgp.node-name: the node whose "
					+ "CiliumBGPNodeConfig this speaker runs (the pod's spec.nodeName)");
		}
		return new NodeConfigWatcher(client, properties.nodeName(), reconciler,
				Duration.ofSeconds(properties.resyncSeconds()));
	}

	@Bean
	SmartLifecycle nodeConfigLifecycle(NodeConfigWatcher watcher, SpeakerReconciler reconciler) {
		return new SmartLifecycle() {

			private volatile boolean running;

			@Override
			public void start() {
				watcher.start();
				this.running = true;
			}

			@Override
			public void stop() {
				// Stop following the API server first, then tell the peers (RFC 8203).
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
