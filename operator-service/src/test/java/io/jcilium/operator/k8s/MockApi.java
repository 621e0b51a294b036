package io.jcilium.operator.k8s;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jcilium.testsupport.ApiCallRecorder;

/**
 * Helpers for tests against fabric8's mock API server.
 */
public final class MockApi {

	private MockApi() {
	}

	/**
	 * A client for the operator's code under test, on the same mock server, recording the
	 * calls it makes for the chart's RBAC check (the test's own requests stay out).
	 * @param client the mock server's client
	 * @return the recording client; the test closes it
	 */
	public static KubernetesClient operatorClient(KubernetesClient client) {
		return CachedForms
			.readingPodEventsGeneric(ApiCallRecorder.client("operator-service", client.getConfiguration()));
	}

	/**
	 * Make the first requests before the test's clock starts: on a cold JVM on a busy
	 * machine the first connection can exceed the client's 10 s connect timeout.
	 * @param client the mock server's client
	 */
	public static void warmUp(KubernetesClient client) {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			try {
				client.namespaces().list();
				return;
			}
			catch (KubernetesClientException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
			}
		}
	}

	/**
	 * Poll a probe every 50 ms until it returns a value: controllers converge
	 * asynchronously, so tests wait for the state they assert on.
	 * @param <T> the probed value's type
	 * @param timeout how long to wait before failing the test
	 * @param probe returns the awaited value, or {@code null} while not there yet
	 * @return the first non-null value
	 */
	public static <T> T awaitValue(Duration timeout, Supplier<T> probe) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			T value = probe.get();
			if (value != null) {
				return value;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("condition not reached within " + timeout.toSeconds() + " s");
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while waiting", ex);
			}
		}
	}

	/**
	 * Poll a condition every 50 ms until it holds.
	 * @param timeout how long to wait before failing the test
	 * @param condition the awaited state
	 */
	public static void await(Duration timeout, BooleanSupplier condition) {
		awaitValue(timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
	}

}
