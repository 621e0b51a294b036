package io.jcilium.operator.k8s;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Helpers for tests against fabric8's mock API server.
 */
public final class MockApi {

	private MockApi() {
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

}
