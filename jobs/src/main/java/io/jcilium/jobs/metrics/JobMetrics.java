package io.jcilium.jobs.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Metrics of every job in a {@link Jobs}, tagged {@code job=<name>}: runs, failed runs,
 * failures in a row, and seconds since the last success (NaN before the first). Jobs
 * created after binding are covered too.
 */
public final class JobMetrics implements MeterBinder {

	private final Consumer<Consumer<Job>> jobs;

	private final Clock clock;

	public JobMetrics(Jobs jobs) {
		this(jobs, Clock.systemUTC());
	}

	public JobMetrics(Jobs jobs, Clock clock) {
		this.jobs = jobs::forEachJob;
		this.clock = clock;
	}

	/**
	 * Metrics of the given jobs only (e.g. jobs of several components).
	 * @param jobs the jobs
	 */
	public JobMetrics(Collection<Job> jobs) {
		List<Job> copy = List.copyOf(jobs);
		this.jobs = copy::forEach;
		this.clock = Clock.systemUTC();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.jobs.accept((job) -> bind(registry, job));
	}

	private void bind(MeterRegistry registry, Job job) {
		FunctionCounter.builder("jcilium.job.runs", job, (j) -> j.status().runs())
			.description("Runs of the job that ended, failed or not")
			.tag("job", job.name())
			.register(registry);
		FunctionCounter.builder("jcilium.job.failures", job, (j) -> j.status().failures())
			.description("Runs of the job that failed")
			.tag("job", job.name())
			.register(registry);
		Gauge.builder("jcilium.job.failures.in.a.row", job, (j) -> j.status().failuresInARow())
			.description("Failed runs since the job last succeeded; 0 while it is healthy")
			.tag("job", job.name())
			.register(registry);
		TimeGauge.builder("jcilium.job.last.success.age", job, TimeUnit.MILLISECONDS, this::lastSuccessAgeMillis)
			.description("Time since the job last succeeded; NaN before its first success")
			.tag("job", job.name())
			.register(registry);
	}

	private double lastSuccessAgeMillis(Job job) {
		return job.status()
			.lastSuccess()
			.map((instant) -> (double) Duration.between(instant, this.clock.instant()).toMillis())
			.orElse(Double.NaN);
	}

}
