package io.jcilium.bgp.wire;

import java.util.Arrays;

import io.netty.buffer.Unpooled;

/**
 * A target with a planted bug, so {@link DecoderFuzzIT} shows that its harness reports a
 * finding: it fails where the codec answers an OPEN with Unacceptable Hold Time (a hold
 * time of 1 or 2 seconds, RFC 4271 section 6.2), an input the seeds do not hold and that
 * only mutation guided by the codec's comparisons reaches in a bounded run.
 */
public final class PlantedBugFuzzTarget {

	static final String PLANTED = "planted: the codec refused an OPEN's hold time";

	private PlantedBugFuzzTarget() {
	}

	public static void fuzzerTestOneInput(byte[] data) {
		if (data.length < 2 || (data[0] & 0x80) != 0) {
			return;
		}
		byte[] message = new byte[BgpCodec.HEADER_BYTES + data.length - 2];
		Arrays.fill(message, 0, BgpCodec.MARKER_BYTES, (byte) 0xFF);
		message[16] = (byte) (message.length >> 8);
		message[17] = (byte) message.length;
		System.arraycopy(data, 1, message, 18, data.length - 1);
		try {
			BgpCodec.checkHeader(Unpooled.wrappedBuffer(message));
			BgpCodec.read(Unpooled.wrappedBuffer(message), SessionCodecOptions.BEFORE_OPEN);
		}
		catch (BgpProtocolException ex) {
			if (ex.notification().error() == BgpError.UNACCEPTABLE_HOLD_TIME) {
				throw new IllegalStateException(PLANTED, ex);
			}
		}
	}

}
