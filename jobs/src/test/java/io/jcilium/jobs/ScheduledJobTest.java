package io.jcilium.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ScheduledJobTest {

	private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 0);

	private final ManualScheduler time = new ManualScheduler();

	private final Jobs jobs = new Jobs(this.time, this.time, new SplittableRandom(1), Sleeper.SYSTEM, Thread::new);

	@Test
	void periodicJobRunsAtStartThenEveryInterval() {
		AtomicInteger runs = new AtomicInteger();
		Job job = this.jobs.periodic("resync", Duration.ofSeconds(10), BACKOFF, runs::incrementAndGet);
		this.time.runDue();
		assertThat(runs).hasValue(0);

		job.start();
		this.time.runDue();
		assertThat(runs).hasValue(1);
		this.time.advance(Duration.ofSeconds(9));
		assertThat(runs).hasValue(1);
		this.time.advance(Duration.ofSeconds(1));
		assertThat(runs).hasValue(2);
		JobStatus status = job.status();
		assertThat(status.runs()).isEqualTo(2);
		assertThat(status.failures()).isZero();
		assertThat(status.lastSuccess()).contains(this.time.instant());
		assertThat(status.running()).isTrue();
		assertThat(status.failing()).isFalse();
	}

	@Test
	void failedRunsBackOffDoublingThenTheIntervalResumesAfterASuccess() {
		AtomicInteger calls = new AtomicInteger();
		Job job = this.jobs.periodic("reconcile", Duration.ofSeconds(10), BACKOFF, () -> {
			if (calls.incrementAndGet() <= 4) {
				throw new IllegalStateException("API server unreachable (" + calls.get() + ")");
			}
		});
		job.start();
		List<Duration> delays = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Instant before = this.time.instant();
			this.time.advance(this.time.pendingDelays().get(0));
			delays.add(Duration.between(before, this.time.instant()));
		}
		// The first run is at start; the next three wait 100, 200, 400 ms; the fifth 400
		// ms
		// (the max) again.
		assertThat(delays).containsExactly(Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(200),
				Duration.ofMillis(400));
		JobStatus failing = job.status();
		assertThat(failing.failing()).isTrue();
		assertThat(failing.lastError()).contains("API server unreachable (4)");
		assertThat(failing.failuresInARow()).isEqualTo(4);
		assertThat(failing.lastSuccess()).isEmpty();
		assertThat(this.time.pendingDelays()).containsExactly(Duration.ofMillis(400));

		this.time.advance(Duration.ofMillis(400));
		JobStatus recovered = job.status();
		assertThat(recovered.failing()).isFalse();
		assertThat(recovered.lastError()).isEmpty();
		assertThat(recovered.runs()).isEqualTo(5);
		assertThat(recovered.failures()).isEqualTo(4);
		assertThat(recovered.failuresInARow()).isZero();
		assertThat(this.time.pendingDelays()).containsExactly(Duration.ofSeconds(10));
	}

	@Test
	void triggersCoalesceIntoOneRunAndATriggerDuringARunMakesOneMore() {
		AtomicInteger runs = new AtomicInteger();
		Job[] self = new Job[1];
		self[0] = this.jobs.periodic("coalesce", Duration.ofMinutes(1), BACKOFF, () -> {
			if (runs.incrementAndGet() == 2) {
				// An event that arrives while a pass is under way must not be lost.
				self[0].trigger();
			}
		});
		self[0].start();
		self[0].trigger();
		self[0].trigger();
		assertThat(this.time.pendingDelays()).containsExactly(Duration.ZERO);
		this.time.runDue();
		assertThat(runs).hasValue(1);

		self[0].trigger();
		self[0].trigger();
		this.time.runDue();
		assertThat(runs).hasValue(3);
		assertThat(this.time.pendingDelays()).containsExactly(Duration.ofMinutes(1));
	}

	@Test
	void triggerWhileBackingOffRunsAtOnceAndAFurtherFailureBacksOffLonger() {
		AtomicInteger runs = new AtomicInteger();
		Job job = this.jobs.periodic("failing", Duration.ofMinutes(1), BACKOFF, () -> {
			runs.incrementAndGet();
			throw new IllegalStateException("down");
		});
		job.start();
		this.time.runDue();
		assertThat(this.time.pendingDelays()).containsExactly(Duration.ofMillis(100));
		job.trigger();
		this.time.runDue();
		assertThat(runs).hasValue(2);
		assertThat(this.time.pendingDelays()).containsExactly(Duration.ofMillis(200));
	}

	@Test
	void triggerDuringAFailingRunRunsAgainAtOnceInsteadOfAfterTheBackoff() {
		AtomicInteger runs = new AtomicInteger();
		Job[] self = new Job[1];
		self[0] = this.jobs.periodic("failing-then-told", Duration.ofMinutes(1), BACKOFF, () -> {
			if (runs.incrementAndGet() <= 2) {
				if (runs.get() == 2) {
					// the event that would let it succeed arrives while it fails
					self[0].trigger();
				}
				throw new IllegalStateException("down");
			}
		});
		self[0].start();
		this.time.runDue();
		assertThat(this.time.pendingDelays()).containsExactly(Duration.ofMillis(100));
		this.time.advance(Duration.ofMillis(100));
		assertThat(runs).hasValue(3);
		assertThat(self[0].status().failing()).isFalse();
		assertThat(this.time.pendingDelays()).containsExactly(Duration.ofMinutes(1));
	}

	@Test
	void firstRunCanWaitForADelayAfterStart() {
		AtomicInteger runs = new AtomicInteger();
		Job job = this.jobs.periodic("gc", Duration.ofMinutes(5), BACKOFF, runs::incrementAndGet);
		job.start(Duration.ofMinutes(5));
		this.time.advance(Duration.ofMinutes(4));
		assertThat(runs).hasValue(0);
		this.time.advance(Duration.ofMinutes(1));
		assertThat(runs).hasValue(1);
	}

	@Test
	void periodicIntervalIsAskedAfterEachSuccessfulRun() {
		Duration[] interval = { Duration.ofSeconds(30) };
		Job job = this.jobs.periodic("lease", () -> interval[0], BACKOFF, () -> interval[0] = Duration.ofSeconds(5));
		job.start();
		this.time.runDue();
		assertThat(this.time.pendingDelays()).containsExactly(Duration.ofSeconds(5));
	}

	@Test
	void retryUntilSuccessStopsAfterTheFirstSuccess() {
		AtomicInteger calls = new AtomicInteger();
		Job job = this.jobs.retryUntilSuccess("subscribe", BACKOFF, () -> {
			if (calls.incrementAndGet() < 3) {
				throw new IllegalStateException("Redis refused the connection");
			}
		});
		job.start();
		this.time.advance(Duration.ofSeconds(5));
		assertThat(calls).hasValue(3);
		assertThat(job.isRunning()).isFalse();
		assertThat(job.status().failures()).isEqualTo(2);
		assertThat(job.status().failing()).isFalse();
		assertThat(this.time.pendingDelays()).isEmpty();

		job.start();
		this.time.runDue();
		assertThat(calls).hasValue(4);
	}

	@Test
	void stopCancelsThePendingRunAndStartResumesWithTheHistoryKept() {
		AtomicInteger runs = new AtomicInteger();
		Job job = this.jobs.periodic("leader-only", Duration.ofSeconds(1), BACKOFF, runs::incrementAndGet);
		job.start();
		this.time.runDue();
		job.stop();
		job.trigger();
		this.time.advance(Duration.ofMinutes(1));
		assertThat(runs).hasValue(1);
		assertThat(job.isRunning()).isFalse();
		assertThat(job.status().runs()).isEqualTo(1);

		job.start();
		this.time.runDue();
		assertThat(runs).hasValue(2);
		assertThat(job.status().runs()).isEqualTo(2);
	}

	@Test
	void jobsCloseStopsEveryJob() {
		Job first = this.jobs.periodic("first", Duration.ofSeconds(1), BACKOFF, () -> {
		});
		Job second = this.jobs.retryUntilSuccess("second", BACKOFF, () -> {
			throw new IllegalStateException("never");
		});
		first.start();
		second.start();
		this.time.runDue();
		this.jobs.close();
		assertThat(first.isRunning()).isFalse();
		assertThat(second.isRunning()).isFalse();
		assertThat(this.time.pendingDelays()).isEmpty();
	}

	@Test
	void jobNamesAreUniqueAndFoundByName() {
		Job job = this.jobs.periodic("gc", Duration.ofSeconds(1), BACKOFF, () -> {
		});
		assertThat(this.jobs.job("gc")).containsSame(job);
		assertThat(this.jobs.job("other")).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> this.jobs.retryUntilSuccess("gc", BACKOFF, () -> {
		})).withMessage("a job named gc exists already");
	}

	@Test
	void aFailureWithoutMessageIsRecordedByItsType() {
		Job job = this.jobs.retryUntilSuccess("npe", BACKOFF, () -> {
			throw new NullPointerException();
		});
		job.start();
		this.time.runDue();
		assertThat(job.status().lastError()).contains("NullPointerException");
	}

}
