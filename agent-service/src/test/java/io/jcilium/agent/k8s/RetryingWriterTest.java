package io.jcilium.agent.k8s;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryingWriterTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void failedWriteIsRetriedUntilItSucceeds() {
		AtomicInteger attempts = new AtomicInteger();
		try (Jobs jobs = new Jobs("test", 1);
				RetryingWriter writer = new RetryingWriter(jobs, "test-writer", Duration.ofMillis(5),
						Duration.ofMillis(20))) {
			writer.submit("cep/a", () -> {
				if (attempts.incrementAndGet() < 4) {
					throw new IllegalStateException("API server away");
				}
			});
			Recorders.await(TIMEOUT, () -> writer.pending() == 0, attempts);
		}
		assertThat(attempts).hasValue(4);
	}

	@Test
	void newerWriteReplacesAnUnwrittenOneAndSubmitDoesNotWaitForTheApiServer() throws InterruptedException {
		List<String> written = new CopyOnWriteArrayList<>();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		try (Jobs jobs = new Jobs("test", 1);
				RetryingWriter writer = new RetryingWriter(jobs, "test-writer", Duration.ofMillis(5),
						Duration.ofMillis(20))) {
			writer.submit("cep/a", () -> {
				started.countDown();
				awaitQuietly(release);
				written.add("first");
			});
			// The first write is in flight (the API server is slow to answer).
			assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
			writer.submit("cep/a", () -> written.add("second"));
			writer.submit("cep/a", () -> written.add("third"));
			// Had submit waited for the write in flight, it would have returned only once
			// that write gave up waiting for the release below and recorded "first".
			assertThat(written).isEmpty();
			release.countDown();
			Recorders.await(TIMEOUT, () -> writer.pending() == 0, written);
		}
		assertThat(written).containsExactly("first", "third");
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
