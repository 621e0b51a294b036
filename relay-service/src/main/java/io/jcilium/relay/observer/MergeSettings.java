package io.jcilium.relay.observer;

import java.time.Duration;

/**
 * How {@code GetFlows} merges the nodes' streams.
 *
 * @param sortBufferMaxLen responses each node may send ahead of the merge (the node's
 * buffer and its flow-control window)
 * @param sortBufferDrainTimeout how long a node that sends nothing holds the merge back
 * before it counts as idle (upstream's {@code sort-buffer-drain-timeout}, 1s)
 */
record MergeSettings(int sortBufferMaxLen, Duration sortBufferDrainTimeout) {

	MergeSettings {
		if (sortBufferMaxLen < 1) {
			throw new IllegalArgumentException(
					"the sort buffer must hold at least 1 response per node, not " + sortBufferMaxLen);
		}
		if (sortBufferDrainTimeout.isNegative() || sortBufferDrainTimeout.isZero()) {
			throw new IllegalArgumentException("the drain timeout must be positive, not " + sortBufferDrainTimeout);
		}
	}

}
