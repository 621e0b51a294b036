package io.jcilium.agent.cni;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The bytes of one request as they arrive, until the head and the body its
 * {@code Content-Length} announces are in. Only framing is judged here; anything
 * malformed counts as complete and is refused by {@link HttpRequest#read} with a 400.
 */
final class PendingRequest {

	private static final byte[] HEAD_END = { '\r', '\n', '\r', '\n' };

	final SocketChannel channel;

	final long deadlineNanos;

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);

	private int headEnd = -1;

	private int contentLength;

	private boolean continueDue;

	PendingRequest(SocketChannel channel, long deadlineNanos) {
		this.channel = channel;
		this.deadlineNanos = deadlineNanos;
	}

	void append(ByteBuffer data) {
		this.bytes.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
		if (this.headEnd < 0) {
			findHead();
		}
	}

	/** Whether the client waits for {@code 100 Continue} before sending its body. */
	boolean takeContinueDue() {
		boolean due = this.continueDue;
		this.continueDue = false;
		return due;
	}

	boolean complete() {
		int size = this.bytes.size();
		if (this.headEnd < 0) {
			return size > HttpRequest.MAX_HEADER_BYTES;
		}
		return this.contentLength < 0 || size >= this.headEnd + this.contentLength;
	}

	byte[] bytes() {
		return this.bytes.toByteArray();
	}

	private void findHead() {
		byte[] data = this.bytes.toByteArray();
		for (int i = 0; i + HEAD_END.length <= data.length; i++) {
			if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') {
				this.headEnd = i + HEAD_END.length;
				readFraming(new String(data, 0, i, StandardCharsets.ISO_8859_1));
				return;
			}
		}
	}

	/**
	 * Content-Length, or -1 to hand over at once (chunked, bad length: refused later).
	 */
	private void readFraming(String head) {
		boolean expectContinue = false;
		for (String line : head.split("\r\n")) {
			String lower = line.toLowerCase(Locale.ROOT);
			if (lower.startsWith("transfer-encoding:")) {
				this.contentLength = -1;
				return;
			}
			if (lower.startsWith("expect:") && lower.substring(7).strip().equals("100-continue")) {
				expectContinue = true;
			}
			if (lower.startsWith("content-length:")) {
				String value = lower.substring(15).strip();
				if (!value.matches("\\d{1,9}") || Integer.parseInt(value) > HttpRequest.MAX_BODY_BYTES) {
					this.contentLength = -1;
					return;
				}
				this.contentLength = Integer.parseInt(value);
			}
		}
		this.continueDue = expectContinue && this.contentLength > 0;
	}

}
