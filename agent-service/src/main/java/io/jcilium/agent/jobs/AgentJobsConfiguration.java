package io.jcilium.agent.jobs;

import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.health.JobHealthIndicator;
import io.jcilium.jobs.metrics.JobMetrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The agent's background jobs (Kubernetes writes, conntrack GC, the event reader...), one
 * {@link Jobs} for all cells, their metrics ({@code jcilium.job.*}, tagged with the job's
 * name) and their health ({@code jobs}).
 * <p>
 * A failing job makes {@code jobs} DEGRADED, not DOWN, with the failing jobs' names and
 * last errors: a job retrying a transient error (an API server write, a conntrack sweep)
 * must not fail the agent's liveness or readiness, as upstream reports such a module as
 * degraded in {@code cilium status} rather than failing a probe. The agent's
 * {@code application.yaml} orders DEGRADED between DOWN and UP and maps it to HTTP 200;
 * the probe groups hold only the availability states, and the gRPC health check only the
 * paths it names, so neither sees it.
 */
@Configuration(proxyBeanMethods = false)
public class AgentJobsConfiguration {

	/** Threads for periodic and retried jobs; loop jobs have a thread of their own. */
	static final int THREADS = 2;

	@Bean(destroyMethod = "close")
	Jobs agentJobs() {
		return new Jobs("agent", THREADS);
	}

	@Bean
	JobMetrics agentJobMetrics(Jobs agentJobs) {
		return new JobMetrics(agentJobs);
	}

	@Bean
	JobHealthIndicator jobsHealthIndicator(Jobs agentJobs) {
		return JobHealthIndicator.degradedWhileFailing(agentJobs);
	}

}
