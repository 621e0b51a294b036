package io.jcilium.bgp.wire;

/**
 * A message broke the protocol in a way that ends the session: it carries the
 * NOTIFICATION that RFC 4271 section 6 (or RFC 7606, where it keeps a session reset)
 * prescribes.
 */
public final class BgpProtocolException extends Exception {

	private static final long serialVersionUID = 1L;

	private final transient NotificationMessage notification;

	private final String detail;

	public BgpProtocolException(BgpError error, byte[] data, String detail) {
		super(error + ": " + detail);
		this.notification = NotificationMessage.of(error, data);
		this.detail = detail;
	}

	public BgpProtocolException(BgpError error, String detail) {
		this(error, new byte[0], detail);
	}

	/** What was wrong, without the error's name. */
	public String detail() {
		return this.detail;
	}

	/** The NOTIFICATION to send before closing the connection. */
	public NotificationMessage notification() {
		return this.notification;
	}

}
