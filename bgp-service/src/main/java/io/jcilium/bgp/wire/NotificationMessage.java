package io.jcilium.bgp.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * NOTIFICATION (RFC 4271 section 4.5), with the shutdown communication of RFC 8203 / RFC
 * 9003 for Administrative Shutdown and Reset.
 *
 * @param code the error code
 * @param subcode the error subcode
 * @param data the data field, as prescribed per error by RFC 4271 section 6
 */
public record NotificationMessage(int code, int subcode, byte[] data) implements BgpMessage {

	/** The longest shutdown communication RFC 9003 allows, in UTF-8 bytes. */
	public static final int MAX_SHUTDOWN_COMMUNICATION_BYTES = 255;

	public NotificationMessage {
		data = data.clone();
	}

	/**
	 * The longest data field: a NOTIFICATION is a message like any other, so it may not
	 * exceed 4096 octets (RFC 4271 section 4.1) with its 19-octet header, code and
	 * subcode.
	 */
	public static final int MAX_DATA_BYTES = BgpCodec.MAX_MESSAGE_BYTES - BgpCodec.HEADER_BYTES - 2;

	/**
	 * A NOTIFICATION for an error, with its data field, cut to {@link #MAX_DATA_BYTES}:
	 * the data of RFC 7313's Invalid Message Length is the whole ROUTE-REFRESH, which may
	 * be 4096 octets itself, and a longer NOTIFICATION would be refused by the peer as
	 * Bad Message Length.
	 */
	public static NotificationMessage of(BgpError error, byte[] data) {
		byte[] fitting = (data.length > MAX_DATA_BYTES) ? Arrays.copyOf(data, MAX_DATA_BYTES) : data;
		return new NotificationMessage(error.code(), error.subcode(), fitting);
	}

	/** A NOTIFICATION for an error with an empty data field. */
	public static NotificationMessage of(BgpError error) {
		return of(error, new byte[0]);
	}

	/**
	 * Cease with a shutdown communication (RFC 8203 section 2): a length octet and the
	 * UTF-8 text, cut to 255 bytes on a character boundary.
	 * @param error {@link BgpError#CEASE_ADMINISTRATIVE_SHUTDOWN} or
	 * {@link BgpError#CEASE_ADMINISTRATIVE_RESET}
	 * @param text why, for the peer's operator
	 * @return the NOTIFICATION
	 */
	public static NotificationMessage shutdown(BgpError error, String text) {
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		int length = Math.min(utf8.length, MAX_SHUTDOWN_COMMUNICATION_BYTES);
		while (length < utf8.length && length > 0 && (utf8[length] & 0xC0) == 0x80) {
			length--;
		}
		byte[] data = new byte[length + 1];
		data[0] = (byte) length;
		System.arraycopy(utf8, 0, data, 1, length);
		return of(error, data);
	}

	@Override
	public MessageType type() {
		return MessageType.NOTIFICATION;
	}

	@Override
	public byte[] data() {
		return this.data.clone();
	}

	/** The named error, or {@code null} for a pair this speaker does not name. */
	public BgpError error() {
		return BgpError.fromCodes(this.code, this.subcode);
	}

	/**
	 * The shutdown communication of a Cease / Administrative Shutdown or Reset, or an
	 * empty string when there is none or it is malformed (RFC 8203 section 3: then it is
	 * ignored).
	 */
	public String shutdownCommunication() {
		boolean shutdownOrReset = this.code == 6 && (this.subcode == 2 || this.subcode == 4);
		if (!shutdownOrReset || this.data.length == 0) {
			return "";
		}
		int length = this.data[0] & 0xFF;
		if (length + 1 > this.data.length) {
			return "";
		}
		return new String(this.data, 1, length, StandardCharsets.UTF_8);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof NotificationMessage that && this.code == that.code && this.subcode == that.subcode
				&& Arrays.equals(this.data, that.data);
	}

	@Override
	public int hashCode() {
		return 31 * (31 * this.code + this.subcode) + Arrays.hashCode(this.data);
	}

	@Override
	public String toString() {
		BgpError error = error();
		String name = (error != null) ? error.name() : "UNKNOWN";
		String text = shutdownCommunication();
		return "NOTIFICATION " + this.code + "/" + this.subcode + " " + name
				+ (text.isEmpty() ? "" : " \"" + text + "\"");
	}

}
