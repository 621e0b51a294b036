package io.jcilium.bgp.fsm;

import java.util.Set;

import io.jcilium.bgp.wire.AddressFamily;

/**
 * What this speaker proposes to one neighbour in its OPEN, and what it expects back.
 *
 * @param localAsn our AS
 * @param bgpIdentifier our BGP identifier (RFC 6286), non-zero
 * @param peerAsn the AS the neighbour must have (RFC 4271 section 6.2)
 * @param holdTimeSeconds the hold time we propose, 0 or at least 3
 * @param families the families we offer
 * @param gracefulRestartSeconds the restart time we announce (RFC 4724), 0 for no
 * graceful restart capability
 * @param restarting whether we have just restarted and want the neighbour to keep our
 * routes until our End-of-RIB (RFC 4724 Restart State bit)
 * @param keepaliveSeconds the keepalive interval configured, 0 for a third of the
 * negotiated hold time
 */
public record LocalSpeaker(long localAsn, long bgpIdentifier, long peerAsn, int holdTimeSeconds,
		Set<AddressFamily> families, int gracefulRestartSeconds, boolean restarting, int keepaliveSeconds) {

	public LocalSpeaker {
		families = Set.copyOf(families);
		if (holdTimeSeconds == 1 || holdTimeSeconds == 2 || holdTimeSeconds < 0 || holdTimeSeconds > 0xFFFF) {
			throw new IllegalArgumentException("hold time must be 0 or 3-65535 s, not " + holdTimeSeconds);
		}
		if (bgpIdentifier <= 0 || bgpIdentifier > 0xFFFFFFFFL) {
			throw new IllegalArgumentException("BGP identifier must be a non-zero 32-bit value, not " + bgpIdentifier);
		}
	}

	/** A speaker sending keepalives every third of the negotiated hold time. */
	public LocalSpeaker(long localAsn, long bgpIdentifier, long peerAsn, int holdTimeSeconds,
			Set<AddressFamily> families, int gracefulRestartSeconds, boolean restarting) {
		this(localAsn, bgpIdentifier, peerAsn, holdTimeSeconds, families, gracefulRestartSeconds, restarting, 0);
	}

	/** Whether the session is iBGP. */
	public boolean internal() {
		return this.localAsn == this.peerAsn;
	}

}
