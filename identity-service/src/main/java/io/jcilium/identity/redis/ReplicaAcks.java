package io.jcilium.identity.redis;

import java.time.Duration;

/**
 * How many Redis replicas must hold a write before identity-service answers it (WAIT).
 *
 * @param replicas replicas to wait for; 0 answers as soon as the primary has the write
 * @param timeout how long to wait for them before the write counts as failed
 */
record ReplicaAcks(int replicas, Duration timeout) {

	static final ReplicaAcks NONE = new ReplicaAcks(0, Duration.ZERO);

	ReplicaAcks {
		if (replicas < 0) {
			throw new IllegalArgumentException("replicas-to-ack must be 0 or more, not " + replicas);
		}
	}

}
