package io.jcilium.agent.datapath.events;

/**
 * Receives datapath events on the reader thread (e.g. the Hubble observer); must not
 * block.
 */
@FunctionalInterface
public interface DatapathEventListener {

	void onEvent(DatapathEvent event);

}
