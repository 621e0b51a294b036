package io.jcilium.operator.nodecert;

import java.time.Clock;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.operator.k8s.SharedInformers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the node certificate approver and signer (a leader task), when per-node
 * certificates are on.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "jcilium.operator.node-certificates.enabled")
class NodeCertificateConfiguration {

	@Bean
	NodeCertificateController nodeCertificateController(KubernetesClient client, SharedInformers informers,
			NodeCertificateProperties properties) {
		return NodeCertificateController.create(client, informers, properties, Clock.systemUTC());
	}

}
