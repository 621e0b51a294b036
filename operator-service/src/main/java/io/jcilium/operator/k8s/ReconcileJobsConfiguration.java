package io.jcilium.operator.k8s;

import io.jcilium.jobs.metrics.JobMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics of every controller's reconcile job ({@code jcilium.job.*}, tagged with the
 * job's name): passes, failed passes, failures in a row, time since the last good pass.
 */
@Configuration(proxyBeanMethods = false)
class ReconcileJobsConfiguration {

	@Bean
	JobMetrics reconcileJobMetrics(ObjectProvider<InformerController<?, ?>> controllers) {
		// Controllers switched off by their properties are simply not there.
		return new JobMetrics(controllers.orderedStream().map((controller) -> controller.loop().job()).toList());
	}

}
