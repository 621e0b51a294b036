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
import org.springframework.boot.health.contributor.Status;

/**
 * Health of named jobs: while one of them is failing, DOWN or {@link #DEGRADED} (as the
 * component chooses), naming the failing jobs and giving each job's last error, failures
 * in a row and last success as details; UP otherwise. Details list every job.
 */
public final class JobHealthIndicator implements HealthIndicator {

	/**
	 * Upstream's module health level "Degraded": the component works, but a background
	 * job of it keeps failing. A service reporting it orders it between DOWN and UP
	 * ({@code management.endpoint.health.status.order}) and maps it to HTTP 200
	 * ({@code management.endpoint.health.status.http-mapping.DEGRADED}).
	 */
	public static final Status DEGRADED = new Status("DEGRADED", "a background job is failing and retrying");

	private final Supplier<List<Job>> jobs;

	private final Status failing;

	/**
	 * Health of every job of a {@link Jobs}, DOWN while one fails.
	 * @param jobs the jobs
	 */
	public JobHealthIndicator(Jobs jobs) {
		this(jobs::all, Status.DOWN);
	}

	/**
	 * Health of the given jobs only, DOWN while one fails.
	 * @param jobs the jobs
	 */
	public JobHealthIndicator(List<Job> jobs) {
		this(constant(jobs), Status.DOWN);
	}

	private JobHealthIndicator(Supplier<List<Job>> jobs, Status failing) {
		this.jobs = jobs;
		this.failing = failing;
	}

	/**
	 * Health of every job of a {@link Jobs}, {@link #DEGRADED} while one fails: for a
	 * component whose jobs retry transient errors and must not fail a probe.
	 * @param jobs the jobs
	 * @return the indicator
	 */
	public static JobHealthIndicator degradedWhileFailing(Jobs jobs) {
		return new JobHealthIndicator(jobs::all, DEGRADED);
	}

	@Override
	public Health health() {
		List<JobStatus> statuses = this.jobs.get()
			.stream()
			.map(Job::status)
			.sorted(Comparator.comparing(JobStatus::name))
			.toList();
		List<String> failingJobs = statuses.stream().filter(JobStatus::failing).map(JobStatus::name).toList();
		Health.Builder builder = failingJobs.isEmpty() ? Health.up()
				: Health.status(this.failing).withDetail("failing", failingJobs);
		for (JobStatus status : statuses) {
			builder.withDetail(status.name(), details(status));
		}
		return builder.build();
	}

	private static Supplier<List<Job>> constant(List<Job> jobs) {
		List<Job> copy = List.copyOf(jobs);
		return () -> copy;
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
