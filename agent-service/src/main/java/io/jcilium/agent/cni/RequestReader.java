package io.jcilium.agent.cni;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads requests of all open connections on one thread with a selector, so a client that
 * sends nothing or half a request holds no worker; a request that is not complete within
 * the read timeout is answered 408 and closed. Complete requests go to the workers.
 */
final class RequestReader implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RequestReader.class);

	/** How often deadlines are checked when no client sends anything. */
	private static final long SWEEP_MILLIS = 200;

	private final Selector selector;

	private final Queue<PendingRequest> added = new ConcurrentLinkedQueue<>();

	private final long readTimeoutNanos;

	private final BiConsumer<SocketChannel, byte[]> complete;

	private final Consumer<SocketChannel> closed;

	private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);

	/**
	 * @param complete receives the channel (blocking again) and the bytes of its request
	 * @param closed told of every channel this reader closes
	 */
	RequestReader(Duration readTimeout, BiConsumer<SocketChannel, byte[]> complete, Consumer<SocketChannel> closed)
			throws IOException {
		this.selector = Selector.open();
		this.readTimeoutNanos = readTimeout.toNanos();
		this.complete = complete;
		this.closed = closed;
		Thread thread = new Thread(this::loop, "agent-api-read");
		thread.setDaemon(true);
		thread.start();
	}

	/** Starts reading a newly accepted connection; its read timeout starts now. */
	void add(SocketChannel channel) {
		this.added.add(new PendingRequest(channel, System.nanoTime() + this.readTimeoutNanos));
		this.selector.wakeup();
	}

	@Override
	public void close() throws IOException {
		this.selector.close();
	}

	private void loop() {
		try {
			while (this.selector.isOpen()) {
				this.selector.select(SWEEP_MILLIS);
				register();
				List<PendingRequest> done = new ArrayList<>();
				Iterator<SelectionKey> ready = this.selector.selectedKeys().iterator();
				while (ready.hasNext()) {
					SelectionKey key = ready.next();
					ready.remove();
					if (read(key)) {
						done.add((PendingRequest) key.attachment());
					}
				}
				handOver(done);
				expire();
			}
		}
		catch (ClosedSelectorException ex) {
			// Closed with the server.
		}
		catch (IOException | RuntimeException ex) {
			logger.error("agent API reader stopped", ex);
		}
	}

	private void register() {
		PendingRequest pending;
		while ((pending = this.added.poll()) != null) {
			try {
				pending.channel.configureBlocking(false);
				pending.channel.register(this.selector, SelectionKey.OP_READ, pending);
			}
			catch (IOException ex) {
				drop(pending.channel, null);
			}
		}
	}

	/**
	 * @return whether the request is complete (its key is then cancelled)
	 */
	private boolean read(SelectionKey key) {
		PendingRequest pending = (PendingRequest) key.attachment();
		try {
			this.buffer.clear();
			int count = pending.channel.read(this.buffer);
			if (count < 0) {
				drop(pending.channel, key);
				return false;
			}
			this.buffer.flip();
			pending.append(this.buffer);
			if (pending.takeContinueDue()) {
				pending.channel
					.write(ByteBuffer.wrap("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
			}
			if (pending.complete()) {
				key.cancel();
				return true;
			}
			return false;
		}
		catch (IOException ex) {
			drop(pending.channel, key);
			return false;
		}
	}

	/** A channel leaves the selector (next select) before it can block again. */
	private void handOver(List<PendingRequest> done) throws IOException {
		if (done.isEmpty()) {
			return;
		}
		this.selector.selectNow();
		for (PendingRequest pending : done) {
			try {
				pending.channel.configureBlocking(true);
				this.complete.accept(pending.channel, pending.bytes());
			}
			catch (IOException ex) {
				drop(pending.channel, null);
			}
		}
	}

	private void expire() {
		long now = System.nanoTime();
		for (SelectionKey key : this.selector.keys()) {
			PendingRequest pending = (PendingRequest) key.attachment();
			if (key.isValid() && now - pending.deadlineNanos > 0) {
				logger.warn("agent API client sent no complete request within {} ms; closing the connection",
						this.readTimeoutNanos / 1_000_000);
				try {
					pending.channel.write(
							ByteBuffer.wrap(
									HttpResponse
										.error(408,
												"no complete request within " + this.readTimeoutNanos / 1_000_000
														+ " ms")
										.bytes()));
				}
				catch (IOException ex) {
					// Closing anyway.
				}
				drop(pending.channel, key);
			}
		}
	}

	private void drop(SocketChannel channel, SelectionKey key) {
		if (key != null) {
			key.cancel();
		}
		try {
			channel.close();
		}
		catch (IOException ex) {
			logger.debug("closing agent API connection: {}", ex.getMessage());
		}
		this.closed.accept(channel);
	}

}
