package io.jcilium.bgp.fsm;

import io.jcilium.bgp.wire.BgpError;
import io.jcilium.bgp.wire.NotificationMessage;
import io.jcilium.bgp.wire.OpenMessage;

/**
 * The checks of a neighbour's OPEN that depend on our settings (RFC 4271 section 6.2, RFC
 * 6793 section 4.1); the syntactic ones are the decoder's.
 */
final class OpenChecks {

	private OpenChecks() {
	}

	/** The NOTIFICATION refusing the OPEN, or {@code null} when it is acceptable. */
	static NotificationMessage check(LocalSpeaker local, OpenMessage open) {
		if (open.asn() != local.peerAsn()) {
			return NotificationMessage.of(BgpError.BAD_PEER_AS);
		}
		if (open.capabilities().fourOctetAs() && open.capabilities().asn() <= 0xFFFF
				&& open.myAsField() != open.capabilities().asn()) {
			// RFC 6793 section 4.1: a two-octet AS appears the same in both places.
			return NotificationMessage.of(BgpError.BAD_PEER_AS);
		}
		if (local.internal() && open.bgpIdentifier() == local.bgpIdentifier()) {
			// RFC 4271 section 6.2 (as RFC 6286 section 2.2 keeps it for iBGP).
			return NotificationMessage.of(BgpError.BAD_BGP_IDENTIFIER);
		}
		return null;
	}

}
