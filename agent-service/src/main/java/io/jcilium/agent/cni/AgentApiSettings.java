package io.jcilium.agent.cni;

import java.time.Duration;

/**
 * Bounds of the agent socket: a local client that connects and stalls (hung, or hostile)
 * must neither hold a worker nor make the agent open connections without limit.
 *
 * @param readTimeout how long a client may take to send its whole request; then the
 * connection is answered 408 and closed
 * @param workerThreads requests handled at once (pods created in parallel)
 * @param maxConnections connections open at once, reading or being served; one more is
 * answered 503 and closed at once
 */
public record AgentApiSettings(Duration readTimeout, int workerThreads, int maxConnections) {

	public AgentApiSettings {
		if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
			throw new IllegalArgumentException("agent API read timeout must be positive, not " + readTimeout);
		}
		if (workerThreads < 1 || maxConnections < workerThreads) {
			throw new IllegalArgumentException(
					"agent API needs at least 1 worker thread and at least as many" + " connections as workers (got "
							+ workerThreads + " workers, " + maxConnections + " connections)");
		}
	}

	/** Defaults: 10 s per request, as many workers as given, 64 connections. */
	public static AgentApiSettings withWorkers(int workerThreads) {
		return new AgentApiSettings(Duration.ofSeconds(10), workerThreads, Math.max(64, workerThreads));
	}

}
