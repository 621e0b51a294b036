package io.jcilium.jobs.health;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.jcilium.jobs.Job;
import io.jcilium.jobs.JobStatus;
import io.jcilium.jobs.Jobs;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of named jobs: DOWN while one of them is failing, with its last error, failures
 * in a row and last success as details; UP otherwise. Details list every job.
 */
public final class JobHealthIndicator implements HealthIndicator {

	private final Supplier<List<Job>> jobs;

	/**
	 * Health of every job of a {@link Jobs}.
	 * @param jobs the jobs
	 */
	public JobHealthIndicator(Jobs jobs) {
		this.jobs = jobs::all;
	}

	/**
	 * Health of the given jobs only.
	 * @param jobs the jobs
	 */
	public JobHealthIndicator(List<Job> jobs) {
		List<Job> copy = List.copyOf(jobs);
		this.jobs = () -> copy;
	}

	@Override
	public Health health() {
		List<JobStatus> statuses = this.jobs.get()
			.stream()
			.map(Job::status)
			.sorted(Comparator.comparing(JobStatus::name))
			.toList();
		Health.Builder builder = statuses.stream().anyMatch(JobStatus::failing) ? Health.down() : Health.up();
		for (JobStatus status : statuses) {
			builder.withDetail(status.name(), details(status));
		}
		return builder.build();
	}

	private static Map<String, Object> details(JobStatus status) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("running", status.running());
		details.put("runs", status.runs());
		details.put("failures", status.failures());
		status.lastError().ifPresent((error) -> {
			details.put("lastError", error);
			details.put("failuresInARow", status.failuresInARow());
		});
		status.lastSuccess().ifPresent((instant) -> details.put("lastSuccess", instant.toString()));
		return details;
	}

}
