package io.jcilium.operator.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes client, configured the usual way (in-cluster service account, else
 * {@code KUBECONFIG}/{@code ~/.kube/config}); building it does no I/O. Spring Cloud
 * Kubernetes provides one inside a cluster, and tests provide their own. On the JDK's
 * HTTP client, the only one the operator ships: fewer classes than fabric8's default
 * (Vert.x), less memory.
 */
@Configuration(proxyBeanMethods = false)
class KubernetesClientConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KubernetesClient kubernetesClient() {
		return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).build();
	}

}
