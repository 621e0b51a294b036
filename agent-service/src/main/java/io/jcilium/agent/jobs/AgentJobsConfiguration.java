package io.jcilium.agent.jobs;

import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.metrics.JobMetrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The agent's background jobs (Kubernetes writes, conntrack GC...), one {@link Jobs} for
 * all cells, and their metrics ({@code jcilium.job.*}, tagged with the job's name).
 * <p>
 * No health indicator on purpose: the library's indicator turns DOWN while any job is
 * failing, and a job retrying a transient error (an API server write, a conntrack sweep)
 * must not fail the agent's liveness or readiness. Upstream reports such controllers as
 * degraded in {@code cilium status}, not as a failed probe; the metrics carry the same
 * (failures in a row, time since the last success).
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

}
