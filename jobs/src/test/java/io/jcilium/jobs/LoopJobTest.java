package io.jcilium.jobs;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoopJobTest {

	/** Generous: only reached if the job is broken. */
	private static final long WAIT_SECONDS = 30;

	private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), 0);

	private final ManualScheduler time = new ManualScheduler();

	private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

	private final Jobs jobs = new Jobs(this.time, this.time, new SplittableRandom(1), this.sleeps::add, Thread::new);

	@AfterEach
	void close() {
		this.jobs.close();
	}

	@Test
	void bodyRunsOnAThreadNamedAfterTheJobAndFailuresBackOffUntilProgress() throws Exception {
		BlockingQueue<String> threadNames = new LinkedBlockingQueue<>();
		AtomicInteger iterations = new AtomicInteger();
		CountDownLatch sixth = new CountDownLatch(1);
		Job[] self = new Job[1];
		self[0] = this.jobs.loop("identity-watch", BACKOFF, () -> {
			threadNames.add(Thread.currentThread().getName());
			int n = iterations.incrementAndGet();
			if (n == 4) {
				// The stream synced before it broke: the next wait starts from the
				// initial one.
				self[0].progressed();
			}
			if (n == 6) {
				sixth.countDown();
				Thread.sleep(TimeUnit.SECONDS.toMillis(WAIT_SECONDS * 10));
			}
			throw new IllegalStateException("stream broke (" + n + ")");
		});
		self[0].start();
		assertThat(sixth.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
		assertThat(threadNames.poll()).isEqualTo("identity-watch");
		assertThat(this.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
				Duration.ofMillis(100), Duration.ofMillis(200));
		JobStatus status = self[0].status();
		assertThat(status.running()).isTrue();
		assertThat(status.failures()).isEqualTo(5);
		assertThat(status.lastError()).contains("stream broke (5)");
		assertThat(status.lastSuccess()).isPresent();

		self[0].stop();
		assertThat(self[0].isRunning()).isFalse();
		// Interrupted under way: a stop, not a failure.
		assertThat(self[0].status().failures()).isEqualTo(5);
	}

	@Test
	void stopInterruptsABlockedBodyAndTheThreadEnds() throws Exception {
		CountDownLatch blocked = new CountDownLatch(1);
		BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
		Job job = this.jobs.loop("accept-loop", BACKOFF, () -> {
			threads.add(Thread.currentThread());
			blocked.countDown();
			new CountDownLatch(1).await();
		});
		job.start();
		assertThat(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
		Thread thread = threads.take();
		job.stop();
		thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
		assertThat(thread.isAlive()).isFalse();
		assertThat(job.status().failures()).isZero();
		assertThat(this.sleeps).isEmpty();
	}

}
