package io.jcilium.agent.l2announce;

import java.util.List;
import java.util.Set;

/**
 * What the announcer needs from the node: its candidate devices, and answering for
 * exactly a set of (device, address). Level-triggered: {@link #sync} converges to the set
 * given, whatever was answered before.
 */
public interface L2Responder extends AutoCloseable {

	/**
	 * The devices an L2 announcement may use: up, not loopback, not the agent's own pod
	 * and tunnel devices.
	 * @return device names
	 */
	List<String> devices();

	/**
	 * Answer ARP/NDP for exactly these entries from now on. An entry not answered before
	 * is announced to the LAN at once (gratuitous ARP, unsolicited neighbour
	 * advertisement), so neighbours that cached the previous announcer's MAC move to this
	 * node without asking.
	 * @param entries every (device, address) to answer for
	 */
	void sync(Set<ResponderEntry> entries);

	/**
	 * Stops answering on every device (the agent stops announcing).
	 */
	@Override
	default void close() {
	}

}
