package io.jcilium.jobs.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.Scheduler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class JobHealthIndicatorTest {

	private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofMillis(100), 0);

	private final List<Runnable> due = new ArrayList<>();

	private final Jobs jobs = new Jobs(new Scheduler() {

		@Override
		public Cancellable schedule(Runnable task, Duration delay) {
			JobHealthIndicatorTest.this.due.add(task);
			return () -> JobHealthIndicatorTest.this.due.remove(task);
		}

		@Override
		public void close() {
		}

	}, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), new SplittableRandom(1), (duration) -> {
	}, Thread::new);

	@Test
	void downWithTheLastErrorWhileAJobFailsUpAgainOnceItSucceeds() {
		boolean[] redisUp = { false };
		Job subscribe = this.jobs.retryUntilSuccess("change-feed", BACKOFF, () -> {
			if (!redisUp[0]) {
				throw new IllegalStateException("Redis at localhost:6379 refused the connection");
			}
		});
		Job gc = this.jobs.periodic("gc", Duration.ofMinutes(1), BACKOFF, () -> {
		});
		subscribe.start();
		gc.start();
		runDue();
		JobHealthIndicator indicator = new JobHealthIndicator(this.jobs);

		Health down = indicator.health();
		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(details(down, "change-feed"))
			.containsEntry("lastError", "Redis at localhost:6379 refused the connection")
			.containsEntry("failuresInARow", 1);
		assertThat(details(down, "gc")).containsEntry("runs", 1L).doesNotContainKey("lastError");

		redisUp[0] = true;
		runDue();
		Health up = indicator.health();
		assertThat(up.getStatus()).isEqualTo(Status.UP);
		assertThat(details(up, "change-feed")).containsEntry("running", false)
			.containsEntry("lastSuccess", "2026-01-01T00:00:00Z")
			.doesNotContainKey("lastError");
	}

	@Test
	void onlyTheGivenJobsCount() {
		Job failing = this.jobs.retryUntilSuccess("failing", BACKOFF, () -> {
			throw new IllegalStateException("down");
		});
		Job fine = this.jobs.periodic("fine", Duration.ofMinutes(1), BACKOFF, () -> {
		});
		failing.start();
		fine.start();
		runDue();
		assertThat(new JobHealthIndicator(List.of(fine)).health().getStatus()).isEqualTo(Status.UP);
		assertThat(new JobHealthIndicator(List.of(fine, failing)).health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void degradedNotDownWhileAJobFailsNamingItAndItsLastError() {
		boolean[] apiServerUp = { false };
		Job writer = this.jobs.retryUntilSuccess("k8s-writer", BACKOFF, () -> {
			if (!apiServerUp[0]) {
				throw new IllegalStateException("API server refused the write: 503");
			}
		});
		Job gc = this.jobs.periodic("ct-gc", Duration.ofMinutes(1), BACKOFF, () -> {
		});
		writer.start();
		gc.start();
		runDue();
		JobHealthIndicator indicator = JobHealthIndicator.degradedWhileFailing(this.jobs);

		Health degraded = indicator.health();
		assertThat(degraded.getStatus()).isEqualTo(JobHealthIndicator.DEGRADED).isNotEqualTo(Status.DOWN);
		assertThat(degraded.getDetails()).containsEntry("failing", List.of("k8s-writer"));
		assertThat(details(degraded, "k8s-writer")).containsEntry("lastError", "API server refused the write: 503");
		assertThat(details(degraded, "ct-gc")).doesNotContainKey("lastError");

		apiServerUp[0] = true;
		runDue();
		Health up = indicator.health();
		assertThat(up.getStatus()).isEqualTo(Status.UP);
		assertThat(up.getDetails()).doesNotContainKey("failing");
	}

	private void runDue() {
		List<Runnable> now = new ArrayList<>(this.due);
		this.due.clear();
		now.forEach(Runnable::run);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Health health, String job) {
		return (Map<String, Object>) health.getDetails().get(job);
	}

}
