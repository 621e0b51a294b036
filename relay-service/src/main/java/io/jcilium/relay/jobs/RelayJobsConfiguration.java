package io.jcilium.relay.jobs;

import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.health.JobHealthIndicator;
import io.jcilium.jobs.metrics.JobMetrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The relay's background jobs (the peer service's Notify stream, the pool's checks),
 * their metrics ({@code jcilium.job.*}) and their health ({@code jobs}: DEGRADED while
 * one keeps failing, e.g. while the peer service is away, without failing the probes).
 */
@Configuration(proxyBeanMethods = false)
public class RelayJobsConfiguration {

	@Bean(destroyMethod = "close")
	Jobs relayJobs() {
		return new Jobs("relay", 1);
	}

	@Bean
	JobMetrics relayJobMetrics(Jobs relayJobs) {
		return new JobMetrics(relayJobs);
	}

	@Bean
	JobHealthIndicator jobsHealthIndicator(Jobs relayJobs) {
		return JobHealthIndicator.degradedWhileFailing(relayJobs);
	}

}
