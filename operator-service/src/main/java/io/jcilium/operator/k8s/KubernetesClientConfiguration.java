package io.jcilium.operator.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes client, configured the usual way (in-cluster service account, else
 * {@code KUBECONFIG}/{@code ~/.kube/config}); building it does no I/O. Spring Cloud
 * Kubernetes provides one inside a cluster, and tests provide their own.
 */
@Configuration(proxyBeanMethods = false)
class KubernetesClientConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KubernetesClient kubernetesClient() {
		return new KubernetesClientBuilder().build();
	}

}
