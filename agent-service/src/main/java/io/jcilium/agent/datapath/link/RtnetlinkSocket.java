package io.jcilium.agent.datapath.link;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.function.Consumer;

import io.jcilium.agent.link.LinkException;
import jnr.ffi.Runtime;

/**
 * A {@code NETLINK_ROUTE} socket in the network namespace of the thread that opened it (a
 * netlink socket keeps that namespace for life, whichever thread uses it later), sending
 * one request at a time and reading its acknowledgement. Sends and receives time out
 * (SO_SNDTIMEO/SO_RCVTIMEO), so a request never waits for ever on the socket itself.
 */
final class RtnetlinkSocket implements AutoCloseable {

	private static final short NLMSG_ERROR = 2;

	private static final short NLMSG_DONE = 3;

	/**
	 * Receive buffer of a dump: the kernel fills each dump datagram up to 32 KiB, and a
	 * datagram longer than the buffer would be cut short without a word (MSG_TRUNC).
	 */
	private static final int DUMP_BUFFER_BYTES = 64 * 1024;

	private static final int EAGAIN = 11;

	private final RtnetlinkLibC libc;

	private final int fd;

	private final Duration timeout;

	private final byte[] reply = new byte[8192];

	private int sequence;

	private RtnetlinkSocket(RtnetlinkLibC libc, int fd, Duration timeout) {
		this.libc = libc;
		this.fd = fd;
		this.timeout = timeout;
	}

	/**
	 * Opens a socket in the calling thread's network namespace.
	 * @param timeout how long one send or one wait for an answer may take
	 */
	static RtnetlinkSocket open(Duration timeout) {
		RtnetlinkLibC libc = RtnetlinkLibC.load();
		int fd = libc.socket(RtnetlinkLibC.AF_NETLINK, RtnetlinkLibC.SOCK_RAW_CLOEXEC, RtnetlinkLibC.NETLINK_ROUTE);
		if (fd < 0) {
			throw new LinkException("cannot open a netlink socket: " + lastError());
		}
		RtnetlinkSocket socket = new RtnetlinkSocket(libc, fd, timeout);
		try {
			socket.setTimeout(RtnetlinkLibC.SO_SNDTIMEO);
			socket.setTimeout(RtnetlinkLibC.SO_RCVTIMEO);
		}
		catch (LinkException ex) {
			socket.close();
			throw ex;
		}
		return socket;
	}

	/**
	 * Sends a request and waits for its acknowledgement.
	 * @param what what the request does, for the error message
	 * @throws LinkException with the kernel's errno when it refuses the request, or when
	 * no answer comes within the timeout
	 */
	void execute(RtnetlinkRequest request, String what) {
		// an ack is NLMSG_ERROR with error 0
		exchange(request, what, this.reply, (type, message) -> {
			if (type != NLMSG_ERROR) {
				return false;
			}
			int error = message.getInt(RtnetlinkRequest.headerBytes());
			if (error != 0) {
				throw new LinkException(what + " failed: " + describe(-error));
			}
			return true;
		});
	}

	/**
	 * Sends a dump request and hands each object of the answer to the consumer, its
	 * {@code nlmsghdr} included, until the kernel says the dump is done.
	 * @param what what is dumped, for the error message
	 * @throws LinkException with the kernel's errno when it refuses the dump, or when no
	 * answer comes within the timeout
	 */
	void dump(RtnetlinkRequest request, String what, Consumer<ByteBuffer> each) {
		exchange(request, what, new byte[DUMP_BUFFER_BYTES], (type, message) -> {
			if (type == NLMSG_DONE) {
				return true;
			}
			if (type == NLMSG_ERROR) {
				throw new LinkException(what + " failed: " + describe(-message.getInt(RtnetlinkRequest.headerBytes())));
			}
			each.accept(message);
			return false;
		});
	}

	/**
	 * Sends a request under the next sequence number and hands every message answering it
	 * to {@code answer}, in order, until that says the exchange is complete; messages of
	 * other sequence numbers are skipped.
	 * @param buffer receives one datagram (whole messages; a longer datagram would be
	 * cut)
	 */
	private void exchange(RtnetlinkRequest request, String what, byte[] buffer, Answer answer) {
		int seq = ++this.sequence;
		byte[] message = request.bytes(seq);
		if (this.libc.send(this.fd, message, message.length, 0) != message.length) {
			throw new LinkException(what + " failed: netlink send: " + lastErrorOrTimeout());
		}
		while (true) {
			long length = this.libc.recv(this.fd, buffer, buffer.length, 0);
			if (length < 0) {
				throw new LinkException(what + " failed: netlink answer: " + lastErrorOrTimeout());
			}
			ByteBuffer datagram = ByteBuffer.wrap(buffer, 0, (int) length).order(ByteOrder.nativeOrder());
			while (datagram.remaining() >= RtnetlinkRequest.headerBytes()) {
				int start = datagram.position();
				int messageLength = datagram.getInt(start);
				short type = datagram.getShort(start + 4);
				int answerSeq = datagram.getInt(start + 8);
				if (messageLength < RtnetlinkRequest.headerBytes() || messageLength > datagram.remaining()) {
					throw new LinkException(what + " failed: malformed netlink answer");
				}
				if (answerSeq == seq
						&& answer.complete(type, datagram.slice(start, messageLength).order(ByteOrder.nativeOrder()))) {
					return;
				}
				// messages are 4-byte aligned (NLMSG_ALIGN)
				datagram.position(Math.min(start + ((messageLength + 3) & ~3), datagram.limit()));
			}
		}
	}

	@Override
	public void close() {
		this.libc.close(this.fd);
	}

	private void setTimeout(int option) {
		byte[] timeval = ByteBuffer.allocate(16)
			.order(ByteOrder.nativeOrder())
			.putLong(this.timeout.toSeconds())
			.putLong(this.timeout.toMillisPart() * 1000L)
			.array();
		if (this.libc.setsockopt(this.fd, RtnetlinkLibC.SOL_SOCKET, option, timeval, timeval.length) != 0) {
			throw new LinkException("cannot set a timeout on a netlink socket: " + lastError());
		}
	}

	private String lastErrorOrTimeout() {
		int errno = Runtime.getRuntime(this.libc).getLastError();
		return (errno == EAGAIN) ? "no answer within " + this.timeout.toMillis() + " ms" : describe(errno);
	}

	private static String lastError() {
		return describe(Runtime.getRuntime(RtnetlinkLibC.load()).getLastError());
	}

	/** One message answering a request, its {@code nlmsghdr} at position 0. */
	@FunctionalInterface
	private interface Answer {

		/**
		 * @param type {@code nlmsg_type}
		 * @param message the whole message
		 * @return whether the exchange is complete
		 */
		boolean complete(short type, ByteBuffer message);

	}

	/** The C library's text for an errno, and the number: "File exists (errno 17)". */
	static String describe(int errno) {
		String text = RtnetlinkLibC.load().strerror(errno);
		return ((text != null) ? text : "error") + " (errno " + errno + ")";
	}

}
