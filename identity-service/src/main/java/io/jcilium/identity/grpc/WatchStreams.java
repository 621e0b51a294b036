package io.jcilium.identity.grpc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Counts the open Watch streams per caller, refusing one past the limit: each stream
 * holds a snapshot's worth of buffer and a place in every change's fan-out.
 */
final class WatchStreams {

	private final int perCaller;

	private final Map<String, Integer> open = new ConcurrentHashMap<>();

	WatchStreams(int perCaller) {
		this.perCaller = perCaller;
	}

	/**
	 * Counts a new stream of the caller.
	 * @param caller the caller's quota key
	 * @throws StatusRuntimeException RESOURCE_EXHAUSTED naming the limit when the caller
	 * has as many open already
	 */
	void open(String caller) {
		boolean[] refused = new boolean[1];
		this.open.compute(caller, (key, count) -> {
			int current = (count != null) ? count : 0;
			if (current >= this.perCaller) {
				refused[0] = true;
				return count;
			}
			return current + 1;
		});
		if (refused[0]) {
			throw Status.RESOURCE_EXHAUSTED
				.withDescription(caller + " already has " + this.perCaller + " Watch streams open, the most "
						+ GrpcLimitsProperties.WATCH_STREAMS_PROPERTY + " allows; close one first")
				.asRuntimeException();
		}
	}

	/** Forgets one stream of the caller; call exactly once per successful open. */
	void close(String caller) {
		this.open.computeIfPresent(caller, (key, count) -> (count > 1) ? count - 1 : null);
	}

	int openStreams(String caller) {
		return this.open.getOrDefault(caller, 0);
	}

}
