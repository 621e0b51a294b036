package io.jcilium.bgp.wire;

/**
 * BGP message types (RFC 4271 section 4.1, RFC 2918 for ROUTE-REFRESH), with the length
 * bounds of section 6.1 that each imposes.
 */
public enum MessageType {

	OPEN(1, 29, BgpCodec.MAX_MESSAGE_BYTES), UPDATE(2, 23, BgpCodec.MAX_MESSAGE_BYTES),
	NOTIFICATION(3, 21, BgpCodec.MAX_MESSAGE_BYTES), KEEPALIVE(4, 19, 19),
	ROUTE_REFRESH(5, 23, BgpCodec.MAX_MESSAGE_BYTES);

	private final int code;

	private final int minBytes;

	private final int maxBytes;

	MessageType(int code, int minBytes, int maxBytes) {
		this.code = code;
		this.minBytes = minBytes;
		this.maxBytes = maxBytes;
	}

	public int code() {
		return this.code;
	}

	/** Whether a message of this type may be that long, header included. */
	public boolean acceptsLength(int lengthBytes) {
		return lengthBytes >= this.minBytes && lengthBytes <= this.maxBytes;
	}

	/** The type of a code, or {@code null} for an unknown one. */
	public static MessageType fromCode(int code) {
		for (MessageType type : values()) {
			if (type.code == code) {
				return type;
			}
		}
		return null;
	}

}
