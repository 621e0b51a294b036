package io.jcilium.agent.policy;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.common.policy.engine.MapEntry;

/**
 * What one local endpoint's policy map in the datapath holds now, entry by entry, read
 * from the pinned map itself (as upstream's {@code cilium-dbg bpf policy get} reads it):
 * the key, the verdict, proxy port and counters the kernel keeps, and the policy engine's
 * entry the key was written for, if the engine still has one.
 */
@FunctionalInterface
public interface PolicyMapContents {

	/** No datapath: no map to read. */
	PolicyMapContents NONE = (endpointId, visitor) -> false;

	/**
	 * Hands over every entry of an endpoint's policy map.
	 * @param endpointId the endpoint
	 * @param visitor called once per entry, in the map's order
	 * @return false if the datapath has no map for the endpoint
	 */
	boolean read(int endpointId, KeyVisitor visitor);

	/**
	 * The entries of an endpoint's policy map as a list.
	 * @param endpointId the endpoint
	 * @return the entries in the map's order, null if the datapath has no map for it
	 */
	default List<Stored> entries(int endpointId) {
		List<Stored> entries = new ArrayList<>();
		return read(endpointId,
				(peer, egress, protocol, port, portPrefixLength, deny, proxyPort, packets, bytes,
						engineEntry) -> entries.add(new Stored(peer, egress, protocol, port, portPrefixLength, deny,
								proxyPort, packets, bytes, engineEntry))) ? entries : null;
	}

	/** What receives one entry; the parameters are those of {@link Stored}. */
	@FunctionalInterface
	interface KeyVisitor {

		void entry(long peer, boolean egress, int protocol, int port, int portPrefixLength, boolean deny, int proxyPort,
				long packets, long bytes, MapEntry engineEntry);

	}

	/**
	 * One entry as the map holds it.
	 *
	 * @param peer the peer identity, 0 for any
	 * @param egress true for egress
	 * @param protocol IP protocol number, 0 for any
	 * @param port the destination port the key starts at (ICMP: the type)
	 * @param portPrefixLength the protocol and port bits the key matches beyond identity
	 * and direction: 0 (any protocol), 8 (any port), up to 24 (one port), as upstream's
	 * PREFIX
	 * @param deny true for a deny entry
	 * @param proxyPort the L7 proxy port, 0 for none
	 * @param packets packets charged to it
	 * @param bytes bytes charged to it
	 * @param engineEntry the policy engine's entry written as this key, null if none
	 */
	record Stored(long peer, boolean egress, int protocol, int port, int portPrefixLength, boolean deny, int proxyPort,
			long packets, long bytes, MapEntry engineEntry) {

	}

}
