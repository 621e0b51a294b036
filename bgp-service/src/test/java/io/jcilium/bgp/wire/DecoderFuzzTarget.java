package io.jcilium.bgp.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The fuzz target of {@link DecoderFuzzIT}, which Jazzer calls with each input it
 * generates. The first byte picks what the session negotiated (four-octet AS, iBGP or
 * eBGP); its top bit picks how the rest is read: as a raw byte stream cut into messages
 * the way the speaker's frame decoder cuts it (so the marker and length are fuzzed too),
 * or as a message type and body behind a correct header (so the fuzzer's effort goes into
 * the bodies). Every message goes through {@link BgpCodec#checkHeader} and
 * {@link BgpCodec#read} as on a session.
 * <p>
 * The property: nothing but {@link BgpProtocolException} leaves the codec, and each one
 * carries a NOTIFICATION this speaker could send: a code/subcode pair RFC 4271 section
 * 4.5 (or a later RFC) defines, in a message that fits 4096 bytes and that our own reader
 * reads back unchanged. Anything else is thrown out of here, which Jazzer reports as a
 * finding with the input that caused it.
 */
public final class DecoderFuzzTarget {

	private DecoderFuzzTarget() {
	}

	public static void fuzzerTestOneInput(byte[] data) {
		if (data.length == 0) {
			return;
		}
		int flags = data[0] & 0xFF;
		SessionCodecOptions options = new SessionCodecOptions((flags & 1) != 0, (flags & 2) != 0,
				((flags & 4) != 0) ? 4200000000L : 65001);
		byte[] rest = Arrays.copyOfRange(data, 1, data.length);
		byte[] stream = ((flags & 0x80) != 0) ? rest : framed(rest);
		ByteBuf in = Unpooled.wrappedBuffer(stream);
		while (in.readableBytes() >= BgpCodec.HEADER_BYTES) {
			try {
				int length = BgpCodec.checkHeader(in);
				if (in.readableBytes() < length) {
					return; // the speaker waits for the rest of the message
				}
				BgpCodec.read(in.readSlice(length), options);
			}
			catch (BgpProtocolException ex) {
				checkSendable(ex);
				return; // the session ends: the rest of the stream is never read
			}
		}
	}

	/** A correct header in front of the body: type, then body. */
	private static byte[] framed(byte[] typeAndBody) {
		if (typeAndBody.length == 0) {
			return typeAndBody;
		}
		byte[] message = new byte[BgpCodec.HEADER_BYTES + typeAndBody.length - 1];
		Arrays.fill(message, 0, BgpCodec.MARKER_BYTES, (byte) 0xFF);
		message[16] = (byte) (message.length >> 8);
		message[17] = (byte) message.length;
		System.arraycopy(typeAndBody, 0, message, 18, typeAndBody.length);
		return message;
	}

	private static void checkSendable(BgpProtocolException ex) {
		NotificationMessage notification = ex.notification();
		if (notification == null) {
			throw new IllegalStateException("a rejection without a NOTIFICATION: " + ex.getMessage());
		}
		if (BgpError.fromCodes(notification.code(), notification.subcode()) == null) {
			throw new IllegalStateException("NOTIFICATION " + notification.code() + "/" + notification.subcode()
					+ " is no error this speaker defines: " + ex.getMessage());
		}
		ByteBuf out = Unpooled.buffer();
		BgpCodec.write(notification, SessionCodecOptions.BEFORE_OPEN, out);
		if (out.readableBytes() > BgpCodec.MAX_MESSAGE_BYTES) {
			throw new IllegalStateException("the NOTIFICATION for '" + ex.getMessage() + "' is " + out.readableBytes()
					+ " bytes, over the " + BgpCodec.MAX_MESSAGE_BYTES + " a peer accepts");
		}
		try {
			BgpCodec.checkHeader(out);
			NotificationMessage back = (NotificationMessage) BgpCodec.read(out, SessionCodecOptions.BEFORE_OPEN);
			if (back.code() != notification.code() || back.subcode() != notification.subcode()
					|| !Arrays.equals(back.data(), notification.data())) {
				throw new IllegalStateException("the NOTIFICATION for '" + ex.getMessage() + "' reads back changed");
			}
		}
		catch (BgpProtocolException unreadable) {
			throw new IllegalStateException(
					"the NOTIFICATION for '" + ex.getMessage() + "' is unreadable: " + unreadable.getMessage(),
					unreadable);
		}
	}

	/**
	 * Valid messages to start from, one per kind the speaker reads, each as an input of
	 * this target (flags byte first, framed form).
	 * @return the seed inputs
	 */
	static List<byte[]> seeds() {
		SessionCodecOptions options = new SessionCodecOptions(true, false, 65001);
		List<BgpMessage> messages = new ArrayList<>();
		messages.add(new OpenMessage(65001, 90, 0x0A000001L,
				new Capabilities(Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), true, true, 65001,
						new GracefulRestart(false, 120, Map.of(AddressFamily.IPV4_UNICAST, true)))));
		PathAttributes attributes = new PathAttributes(Origin.IGP,
				List.of(AsPathSegment.sequence(List.of(65001L, 4200000000L))), null, 10L, 100L,
				List.of(0xFFFFFF01L, 0xFC000064L), null, null);
		messages.addAll(UpdatePacker.announce(AddressFamily.IPV4_UNICAST, attributes, new byte[] { 10, 0, 0, 1 },
				List.of(Prefix.parse("10.1.0.0/24"), Prefix.parse("172.16.0.1/32")), options));
		messages.addAll(UpdatePacker.announce(AddressFamily.IPV6_UNICAST, attributes,
				Prefix.parse("2001:db8::1/128").address(), List.of(Prefix.parse("fd00:1::/64")), options));
		messages
			.addAll(UpdatePacker.withdraw(AddressFamily.IPV6_UNICAST, List.of(Prefix.parse("fd00:1::/64")), options));
		messages.add(new UpdateMessage(List.of(Prefix.parse("10.1.0.0/24")), PathAttributes.NONE, List.of()));
		messages.add(NotificationMessage.shutdown(BgpError.CEASE_ADMINISTRATIVE_SHUTDOWN, "maintenance"));
		messages.add(KeepaliveMessage.INSTANCE);
		messages.add(new RouteRefreshMessage(2, 1));
		List<byte[]> seeds = new ArrayList<>();
		for (BgpMessage message : messages) {
			ByteBuf out = Unpooled.buffer();
			BgpCodec.write(message, options, out);
			byte[] bytes = new byte[out.readableBytes() - BgpCodec.HEADER_BYTES + 2];
			bytes[0] = 1; // four-octet AS, eBGP, framed
			out.getBytes(BgpCodec.HEADER_BYTES - 1, bytes, 1, bytes.length - 1);
			seeds.add(bytes);
		}
		return seeds;
	}

}
