package io.jcilium.jobs;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonThreadsTest {

	@Test
	void aBoundedPoolRunsUpToItsBoundOnNamedDaemonThreadsAndRefusesTheNextWithItsMessage() throws Exception {
		ThreadPoolExecutor pool = DaemonThreads.bounded("calls", 2, "at most 2 calls at once (calls.max)");
		CountDownLatch started = new CountDownLatch(2);
		CountDownLatch release = new CountDownLatch(1);
		AtomicReference<Thread> seen = new AtomicReference<>();
		try {
			for (int i = 0; i < 2; i++) {
				pool.execute(() -> {
					seen.set(Thread.currentThread());
					started.countDown();
					await(release);
				});
			}
			assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(seen.get().isDaemon()).isTrue();
			assertThat(seen.get().getName()).matches("calls-[12]");
			assertThatThrownBy(() -> pool.execute(() -> {
			})).isInstanceOf(RejectedExecutionException.class).hasMessage("at most 2 calls at once (calls.max)");
			release.countDown();
			pool.shutdown();
			assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			release.countDown();
			pool.shutdownNow();
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
