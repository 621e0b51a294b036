package io.jcilium.agent.endpoint;

import java.util.BitSet;

import io.jcilium.agent.endpoint.EndpointCreationException.Stage;

/**
 * The node's endpoint ids. Upstream endpoint ids are 16 bit, and ids above 4095 are
 * reserved for the host; 0 is never used.
 */
final class EndpointIds {

	static final int MAX_ENDPOINT_ID = 4095;

	private final BitSet used = new BitSet();

	synchronized int allocate() {
		int id = this.used.nextClearBit(1);
		if (id > MAX_ENDPOINT_ID) {
			throw new EndpointCreationException(Stage.IP_ALLOCATION,
					"all " + MAX_ENDPOINT_ID + " endpoint ids of this node are in use", null);
		}
		this.used.set(id);
		return id;
	}

	/**
	 * Takes {@code id} for a restored endpoint.
	 * @return false if it is already taken (two state files claim it)
	 */
	synchronized boolean reserve(int id) {
		if (this.used.get(id)) {
			return false;
		}
		this.used.set(id);
		return true;
	}

	synchronized void release(int id) {
		this.used.clear(id);
	}

}
