package io.jcilium.bgp.wire;

/**
 * KEEPALIVE: a header and nothing else (RFC 4271 section 4.4).
 */
public record KeepaliveMessage() implements BgpMessage {

	/** The only KEEPALIVE there is. */
	public static final KeepaliveMessage INSTANCE = new KeepaliveMessage();

	@Override
	public MessageType type() {
		return MessageType.KEEPALIVE;
	}

}
