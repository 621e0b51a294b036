package io.jcilium.bgp.wire;

/**
 * One BGP message, decoded (RFC 4271 section 4).
 */
public sealed interface BgpMessage
		permits OpenMessage, UpdateMessage, NotificationMessage, KeepaliveMessage, RouteRefreshMessage {

	/** The message's type. */
	MessageType type();

}
