package io.jcilium.agent.endpoint;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the endpoint lifecycle behaves.
 *
 * @param addSyncTimeout how long CNI ADD waits for the endpoint to become ready (its veth
 * meanwhile carries the init identity's program, so the pod meets policy from its first
 * packet); after that the endpoint is torn down (address, veth, programs, state file) and
 * ADD fails with the spec's "try again later", so the runtime retries the pod
 * @param retryInitialDelay first delay before retrying an endpoint whose identity or
 * datapath could not be set up; doubled per failure
 * @param retryMaxDelay the cap of that delay
 * @param regenerationWorkers threads regenerating endpoints in parallel
 * @param endpointStateDir where each endpoint is persisted for restore, or {@code null}
 * to persist nothing
 * @param concurrentSetups new endpoints whose veth and guard (the CPU-heavy steps of an
 * ADD) are set up at once; 0 for the number of cores
 */
public record EndpointLifecycleSettings(Duration addSyncTimeout, Duration retryInitialDelay, Duration retryMaxDelay,
		int regenerationWorkers, Path endpointStateDir, int concurrentSetups) {

	public EndpointLifecycleSettings {
		if (regenerationWorkers < 1) {
			throw new IllegalArgumentException("regeneration workers must be at least 1, not " + regenerationWorkers);
		}
		if (concurrentSetups < 0) {
			throw new IllegalArgumentException(
					"concurrent endpoint set-ups must be 0 (the cores) or more, not " + concurrentSetups);
		}
	}

	/** Set-ups bounded by the number of cores. */
	public EndpointLifecycleSettings(Duration addSyncTimeout, Duration retryInitialDelay, Duration retryMaxDelay,
			int regenerationWorkers, Path endpointStateDir) {
		this(addSyncTimeout, retryInitialDelay, retryMaxDelay, regenerationWorkers, endpointStateDir, 0);
	}

	/** Defaults without persistence: 5 s ADD wait, retries from 0.2 s up to 5 s. */
	public static EndpointLifecycleSettings defaults() {
		return new EndpointLifecycleSettings(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(5), 2,
				null);
	}

	public EndpointLifecycleSettings withEndpointStateDir(Path directory) {
		return new EndpointLifecycleSettings(this.addSyncTimeout, this.retryInitialDelay, this.retryMaxDelay,
				this.regenerationWorkers, directory, this.concurrentSetups);
	}

}
