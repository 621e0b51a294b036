package io.jcilium.operator.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.k8s.KubernetesClients;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes client, configured the usual way (in-cluster service account, else
 * {@code KUBECONFIG}/{@code ~/.kube/config}); building it does no I/O. Its watches end
 * within 35 s when their connection goes silent and the informers list again
 * ({@link KubernetesClients}); it reads Pod events as generic resources
 * ({@link CachedForms#readingPodEventsGeneric}). Tests provide their own.
 */
@Configuration(proxyBeanMethods = false)
class KubernetesClientConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KubernetesClient kubernetesClient() {
		return CachedForms.readingPodEventsGeneric(KubernetesClients.create());
	}

	@Bean
	SharedInformers sharedInformers(KubernetesClient client) {
		return new SharedInformers(client);
	}

}
