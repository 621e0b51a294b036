package io.jcilium.bgp.session;

import java.util.List;

import io.jcilium.bgp.wire.BgpCodec;
import io.jcilium.bgp.wire.BgpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts the byte stream into whole messages, checking each header (RFC 4271 section 6.1)
 * before waiting for a body. It emits each message as a {@link ByteBuf} (the connection
 * reads the body with the options its session negotiated) or, once, a {@link FrameError};
 * after an error the stream is out of sync and the rest of it is dropped.
 */
final class BgpFrameDecoder extends ByteToMessageDecoder {

	private boolean broken;

	/** A header RFC 4271 section 6.1 rejects, with the NOTIFICATION to send. */
	record FrameError(BgpProtocolException error) {
	}

	@Override
	protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
		while (!this.broken && in.readableBytes() >= BgpCodec.HEADER_BYTES) {
			int length;
			try {
				length = BgpCodec.checkHeader(in);
			}
			catch (BgpProtocolException ex) {
				this.broken = true;
				out.add(new FrameError(ex));
				break;
			}
			if (in.readableBytes() < length) {
				return;
			}
			out.add(in.readRetainedSlice(length));
		}
		if (this.broken) {
			in.skipBytes(in.readableBytes());
		}
	}

}
