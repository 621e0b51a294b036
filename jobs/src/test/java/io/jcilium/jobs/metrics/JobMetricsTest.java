package io.jcilium.jobs.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.Scheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobMetricsTest {

	private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofMillis(100), 0);

	@Test
	void runsFailuresAndLastSuccessAgePerJobIncludingJobsCreatedAfterBinding() throws Exception {
		// The periodic job never runs here: the scheduler drops what it is given.
		Scheduler never = new Scheduler() {

			@Override
			public Cancellable schedule(Runnable task, Duration delay) {
				return () -> {
				};
			}

			@Override
			public void close() {
			}

		};
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		Jobs jobs = new Jobs(never, Clock.fixed(start, ZoneOffset.UTC), new SplittableRandom(1), (duration) -> {
		}, Thread::new);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		AtomicInteger iterations = new AtomicInteger();
		CountDownLatch third = new CountDownLatch(1);
		Job early = jobs.loop("early", BACKOFF, () -> {
			int n = iterations.incrementAndGet();
			if (n == 1) {
				throw new IllegalStateException("first iteration fails");
			}
			if (n == 3) {
				third.countDown();
				new CountDownLatch(1).await();
			}
		});
		new JobMetrics(jobs, Clock.fixed(start.plusSeconds(90), ZoneOffset.UTC)).bindTo(registry);
		Job late = jobs.periodic("late", Duration.ofSeconds(1), BACKOFF, () -> {
		});

		early.start();
		assertThat(third.await(30, TimeUnit.SECONDS)).isTrue();
		early.stop();

		assertThat(registry.get("jcilium.job.runs").tag("job", "early").functionCounter().count()).isEqualTo(2);
		assertThat(registry.get("jcilium.job.failures").tag("job", "early").functionCounter().count()).isEqualTo(1);
		assertThat(registry.get("jcilium.job.failures.in.a.row").tag("job", "early").gauge().value()).isZero();
		assertThat(registry.get("jcilium.job.last.success.age").tag("job", "early").timeGauge().value(TimeUnit.SECONDS))
			.isEqualTo(90);
		assertThat(registry.get("jcilium.job.runs").tag("job", late.name()).functionCounter().count()).isZero();
		assertThat(registry.get("jcilium.job.last.success.age").tag("job", "late").timeGauge().value(TimeUnit.SECONDS))
			.isNaN();
	}

}
