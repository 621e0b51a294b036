package io.jcilium.bgp.session;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.wire.AddressFamily;

/**
 * One neighbour as an operator sees it (upstream's {@code cilium bgp peers} columns).
 *
 * @param peerAddress the neighbour's address
 * @param localAsn our AS
 * @param peerAsn the neighbour's AS
 * @param state the session state
 * @param uptime how long the session has been Established, zero otherwise
 * @param families the families negotiated (empty when not Established)
 * @param received prefixes received, per family
 * @param advertised prefixes advertised, per family
 * @param lastError what last ended the session or kept it from coming up, or empty
 */
public record PeerStatus(String peerAddress, long localAsn, long peerAsn, SessionState state, Duration uptime,
		Set<AddressFamily> families, Map<AddressFamily, Integer> received, Map<AddressFamily, Integer> advertised,
		String lastError) {

	public PeerStatus {
		families = Set.copyOf(families);
		received = Map.copyOf(received);
		advertised = Map.copyOf(advertised);
	}

}
