package io.jcilium.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * The message header (RFC 4271 section 4.1) and the dispatch to each message's reader and
 * writer. Reading never lets an exception other than {@link BgpProtocolException} out: a
 * message that a reader fails on in an unforeseen way still ends in a NOTIFICATION.
 */
public final class BgpCodec {

	public static final int HEADER_BYTES = 19;

	public static final int MARKER_BYTES = 16;

	public static final int MAX_MESSAGE_BYTES = 4096;

	private BgpCodec() {
	}

	/**
	 * Checks a header (section 6.1: marker, then length, then type) and returns the
	 * message's length.
	 * @param in at least {@link #HEADER_BYTES} readable; not consumed
	 * @return the length of the whole message, header included
	 * @throws BgpProtocolException with the Message Header Error to send
	 */
	public static int checkHeader(ByteBuf in) throws BgpProtocolException {
		int start = in.readerIndex();
		for (int i = 0; i < MARKER_BYTES; i++) {
			if (in.getByte(start + i) != (byte) 0xFF) {
				throw new BgpProtocolException(BgpError.CONNECTION_NOT_SYNCHRONIZED, "marker is not all ones");
			}
		}
		int length = in.getUnsignedShort(start + MARKER_BYTES);
		int typeCode = in.getUnsignedByte(start + MARKER_BYTES + 2);
		byte[] lengthField = ByteBufUtil.getBytes(in, start + MARKER_BYTES, 2);
		if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) {
			throw new BgpProtocolException(BgpError.BAD_MESSAGE_LENGTH, lengthField, "length " + length);
		}
		MessageType type = MessageType.fromCode(typeCode);
		if (type == null) {
			throw new BgpProtocolException(BgpError.BAD_MESSAGE_TYPE, new byte[] { (byte) typeCode },
					"message type " + typeCode);
		}
		if (!type.acceptsLength(length)) {
			throw new BgpProtocolException(BgpError.BAD_MESSAGE_LENGTH, lengthField, type + " of length " + length);
		}
		return length;
	}

	/**
	 * Reads one whole message whose header {@link #checkHeader} accepted.
	 * @param message exactly one message, header included
	 * @param options what the session negotiated
	 * @return the message
	 * @throws BgpProtocolException with the NOTIFICATION to send
	 */
	public static BgpMessage read(ByteBuf message, SessionCodecOptions options) throws BgpProtocolException {
		MessageType type = MessageType.fromCode(message.getUnsignedByte(message.readerIndex() + MARKER_BYTES + 2));
		ByteBuf body = message.slice(message.readerIndex() + HEADER_BYTES, message.readableBytes() - HEADER_BYTES);
		try {
			return switch (type) {
				case OPEN -> OpenCodec.read(body);
				case UPDATE -> UpdateDecoder.read(body, options);
				case NOTIFICATION -> new NotificationMessage(body.readUnsignedByte(), body.readUnsignedByte(),
						ByteBufUtil.getBytes(body));
				case KEEPALIVE -> KeepaliveMessage.INSTANCE;
				case ROUTE_REFRESH -> routeRefresh(message, body);
			};
		}
		catch (IndexOutOfBoundsException | IllegalArgumentException ex) {
			// A reader missed a bound: still answer with the error of the message's kind.
			throw new BgpProtocolException(unspecific(type), type + " unreadable: " + ex.getMessage());
		}
	}

	private static RouteRefreshMessage routeRefresh(ByteBuf message, ByteBuf body) throws BgpProtocolException {
		if (body.readableBytes() != 4) {
			// RFC 7313 section 5: the data is the complete ROUTE-REFRESH message.
			throw new BgpProtocolException(BgpError.ROUTE_REFRESH_INVALID_MESSAGE_LENGTH, ByteBufUtil.getBytes(message),
					"ROUTE-REFRESH body of " + body.readableBytes() + " bytes, not 4");
		}
		int afi = body.readUnsignedShort();
		body.skipBytes(1);
		return new RouteRefreshMessage(afi, body.readUnsignedByte());
	}

	private static BgpError unspecific(MessageType type) {
		return switch (type) {
			case OPEN -> BgpError.OPEN_UNSPECIFIC;
			case UPDATE -> BgpError.MALFORMED_ATTRIBUTE_LIST;
			default -> BgpError.BAD_MESSAGE_LENGTH;
		};
	}

	/**
	 * Writes a whole message, header included.
	 * @param message the message
	 * @param options what the session negotiated
	 * @param out where to write
	 */
	public static void write(BgpMessage message, SessionCodecOptions options, ByteBuf out) {
		int start = out.writerIndex();
		for (int i = 0; i < MARKER_BYTES; i++) {
			out.writeByte(0xFF);
		}
		out.writeShort(0);
		out.writeByte(message.type().code());
		if (message instanceof OpenMessage open) {
			OpenCodec.write(open, out);
		}
		else if (message instanceof UpdateMessage update) {
			UpdateEncoder.write(update, options, out);
		}
		else if (message instanceof NotificationMessage notification) {
			out.writeByte(notification.code()).writeByte(notification.subcode()).writeBytes(notification.data());
		}
		else if (message instanceof RouteRefreshMessage refresh) {
			out.writeShort(refresh.afi()).writeByte(0).writeByte(refresh.safi());
		}
		out.setShort(start + MARKER_BYTES, out.writerIndex() - start);
	}

}
