package io.jcilium.agent.datapath.events;

/**
 * Receives datapath events on the reader thread (e.g. the Hubble observer); must not
 * block.
 */
@FunctionalInterface
public interface DatapathEventListener {

	void onEvent(DatapathEvent event);

	/**
	 * Events the kernel could not put into the full ring buffer since the last call.
	 * @param count how many
	 */
	default void onLost(long count) {
	}

}
