package io.jcilium.bgp.fsm;

import java.util.Set;

import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.OpenMessage;
import io.jcilium.bgp.wire.SessionCodecOptions;

/**
 * What two OPENs agreed on.
 *
 * @param peerOpen the neighbour's OPEN
 * @param families the families both offered (RFC 4760 section 8)
 * @param holdTimeSeconds the smaller of both hold times (RFC 4271 section 4.2)
 * @param codecOptions how UPDATEs are read and written on this session
 */
public record Negotiated(OpenMessage peerOpen, Set<AddressFamily> families, int holdTimeSeconds,
		SessionCodecOptions codecOptions) {

	public Negotiated {
		families = Set.copyOf(families);
	}

	/** The keepalive interval: a third of the hold time (RFC 4271 section 10). */
	public int keepaliveSeconds() {
		return this.holdTimeSeconds / 3;
	}

}
