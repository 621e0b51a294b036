package io.jcilium.k8s;

import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between one WebSocket (a watch) and fabric8's listener: pings the socket every
 * {@link WatchLiveness#pingInterval()} and, when a ping is still unanswered at the next
 * one, closes it (close code 1001), gives the close handshake
 * {@link WatchLiveness#closeTimeout()} and then drops the connection and tells fabric8's
 * listener that the watch failed, so that it watches again. This is what OkHttp does for
 * fabric8's {@code websocketPingInterval}, which fabric8's JDK client ignores. RFC 6455
 * section 5.5.2: the server answers each ping with a pong; the API server does. The JDK
 * delivers a pong only while the listener has asked for a message, as fabric8's listener
 * does whenever it waits for the next watch event.
 */
final class WebSocketPings implements WebSocket.Listener {

	private static final Logger log = LoggerFactory.getLogger(WebSocketPings.class);

	/** Close code 1001 (going away), RFC 6455 section 7.4.1. */
	private static final int GOING_AWAY = 1001;

	private final WebSocket.Listener watch;

	private final WatchLiveness liveness;

	private final Executor nextPing;

	private final Executor closeDeadline;

	private final String target;

	private final AtomicBoolean answered = new AtomicBoolean(true);

	/** Set once fabric8's listener has been told that the watch ended. */
	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile WebSocket socket;

	/**
	 * @param watch fabric8's listener
	 * @param liveness the ping interval and close timeout
	 * @param executor runs the pings (the client's executor)
	 * @param target the watch's address, for the log
	 */
	WebSocketPings(WebSocket.Listener watch, WatchLiveness liveness, Executor executor, String target) {
		this.watch = watch;
		this.liveness = liveness;
		this.nextPing = CompletableFuture.delayedExecutor(liveness.pingInterval().toNanos(), TimeUnit.NANOSECONDS,
				executor);
		this.closeDeadline = CompletableFuture.delayedExecutor(liveness.closeTimeout().toNanos(), TimeUnit.NANOSECONDS,
				executor);
		this.target = target;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.socket = webSocket;
		this.nextPing.execute(this::ping);
		this.watch.onOpen(webSocket);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		return this.watch.onText(webSocket, data, last);
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		return this.watch.onBinary(webSocket, data, last);
	}

	@Override
	public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
		return this.watch.onPing(webSocket, message);
	}

	@Override
	public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
		this.answered.set(true);
		return this.watch.onPong(webSocket, message);
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		return this.ended.compareAndSet(false, true) ? this.watch.onClose(webSocket, statusCode, reason) : null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		if (this.ended.compareAndSet(false, true)) {
			this.watch.onError(webSocket, error);
		}
	}

	private void ping() {
		WebSocket webSocket = this.socket;
		if (this.ended.get() || webSocket.isInputClosed()) {
			return;
		}
		if (!this.answered.getAndSet(false)) {
			log.warn("The watch {} answered no ping within {}: its connection is taken as dead and closed", this.target,
					this.liveness.pingInterval());
			webSocket.sendClose(GOING_AWAY, "no pong");
			this.closeDeadline.execute(() -> drop(webSocket));
			return;
		}
		webSocket.sendPing(ByteBuffer.allocate(0));
		this.nextPing.execute(this::ping);
	}

	/** Ends a watch whose close handshake did not finish in time. */
	private void drop(WebSocket webSocket) {
		if (this.ended.compareAndSet(false, true)) {
			webSocket.abort();
			this.watch.onError(webSocket, new IOException("the watch " + this.target + " answered no ping within "
					+ this.liveness.pingInterval() + " nor the close within " + this.liveness.closeTimeout()));
		}
	}

}
