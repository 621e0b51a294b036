package io.jcilium.bgp.wire;

/**
 * What one session negotiated that changes how UPDATEs are read and written.
 *
 * @param fourOctetAs whether both sides sent the four-octet AS capability (RFC 6793): AS
 * numbers in AS_PATH and AGGREGATOR take four octets
 * @param internal whether the session is iBGP (LOCAL_PREF is then mandatory)
 * @param peerAsn the peer's AS: an eBGP peer's AS_PATH must start with it (RFC 4271
 * section 6.3)
 */
public record SessionCodecOptions(boolean fourOctetAs, boolean internal, long peerAsn) {

	/** Before OPENs are exchanged: only OPEN, NOTIFICATION and KEEPALIVE are expected. */
	public static final SessionCodecOptions BEFORE_OPEN = new SessionCodecOptions(true, false, 0);

}
