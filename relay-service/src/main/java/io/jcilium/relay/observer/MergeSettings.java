package io.jcilium.relay.observer;

import java.time.Duration;

/**
 * How {@code GetFlows} merges the nodes' streams.
 *
 * @param sortBufferMaxLen responses held to sort by time (upstream's
 * {@code sort-buffer-len-max}, 100)
 * @param sortBufferDrainTimeout how long without a new response before the buffer is sent
 * as it is (upstream's {@code sort-buffer-drain-timeout}, 1s)
 * @param queueCapacity responses the nodes' readers may queue ahead of the merging
 */
record MergeSettings(int sortBufferMaxLen, Duration sortBufferDrainTimeout, int queueCapacity) {

	MergeSettings {
		if (sortBufferMaxLen < 1) {
			throw new IllegalArgumentException(
					"the sort buffer must hold at least 1 response, not " + sortBufferMaxLen);
		}
		if (sortBufferDrainTimeout.isNegative() || sortBufferDrainTimeout.isZero()) {
			throw new IllegalArgumentException("the drain timeout must be positive, not " + sortBufferDrainTimeout);
		}
		if (queueCapacity < 1) {
			throw new IllegalArgumentException("the merge queue must hold at least 1 response, not " + queueCapacity);
		}
	}

}
