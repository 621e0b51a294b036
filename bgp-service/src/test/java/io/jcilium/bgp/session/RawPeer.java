package io.jcilium.bgp.session;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import io.jcilium.bgp.wire.BgpCodec;
import io.jcilium.bgp.wire.BgpMessage;
import io.jcilium.bgp.wire.BgpProtocolException;
import io.jcilium.bgp.wire.SessionCodecOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A neighbour made of a plain TCP socket: it writes whatever bytes a test gives it, well
 * formed or not, and reads back what the speaker answers.
 */
final class RawPeer implements AutoCloseable {

	private static final int READ_TIMEOUT_MILLIS = 30_000;

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	RawPeer(InetAddress local, InetSocketAddress speaker) throws IOException {
		this.socket = new Socket();
		this.socket.bind(new InetSocketAddress(local, 0));
		this.socket.connect(speaker, READ_TIMEOUT_MILLIS);
		this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		this.in = new DataInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
	}

	void send(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	void send(BgpMessage message) throws IOException {
		ByteBuf buffer = Unpooled.buffer();
		BgpCodec.write(message, SessionCodecOptions.BEFORE_OPEN, buffer);
		byte[] bytes = new byte[buffer.readableBytes()];
		buffer.readBytes(bytes);
		send(bytes);
	}

	/** The next whole message from the speaker. */
	BgpMessage receive() throws IOException, BgpProtocolException {
		byte[] header = new byte[BgpCodec.HEADER_BYTES];
		this.in.readFully(header);
		int length = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
		byte[] message = Arrays.copyOf(header, length);
		this.in.readFully(message, BgpCodec.HEADER_BYTES, length - BgpCodec.HEADER_BYTES);
		ByteBuf buffer = Unpooled.wrappedBuffer(message);
		BgpCodec.checkHeader(buffer);
		return BgpCodec.read(buffer, new SessionCodecOptions(true, false, 0));
	}

	/**
	 * Whether the speaker closed the connection (end of stream) within the read timeout.
	 */
	boolean closedBySpeaker() throws IOException {
		try {
			return this.in.read() < 0;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (EOFException ex) {
			return true;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
