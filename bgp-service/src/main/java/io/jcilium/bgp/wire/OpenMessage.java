package io.jcilium.bgp.wire;

/**
 * OPEN (RFC 4271 section 4.2) with its capabilities (RFC 5492).
 *
 * @param myAsField the two-octet My Autonomous System field as sent (AS_TRANS 23456 when
 * the real AS needs four octets, RFC 6793)
 * @param holdTimeSeconds the proposed hold time, 0 or at least 3
 * @param bgpIdentifier the sender's BGP identifier, an unsigned 32-bit number
 * @param capabilities what the sender advertises
 */
public record OpenMessage(int myAsField, int holdTimeSeconds, long bgpIdentifier,
		Capabilities capabilities) implements BgpMessage {

	/** The only BGP version there is (RFC 4271). */
	public static final int VERSION = 4;

	/** The two-octet AS sent in place of a four-octet one (RFC 6793). */
	public static final int AS_TRANS = 23456;

	@Override
	public MessageType type() {
		return MessageType.OPEN;
	}

	/**
	 * The sender's AS: from the four-octet AS capability when present (RFC 6793 section
	 * 4.1), else the two-octet field.
	 */
	public long asn() {
		return this.capabilities.fourOctetAs() ? this.capabilities.asn() : this.myAsField;
	}

}
