package io.jcilium.k8s;

import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings one WebSocket (a watch) every {@link WatchLiveness#pingInterval()} and closes it
 * when a ping is still unanswered at the next one, as OkHttp does for fabric8's
 * {@code websocketPingInterval} (which fabric8's Vert.x client ignores). RFC 6455 section
 * 5.5.2: the server answers each ping with a pong; the API server does.
 */
final class WebSocketPings {

	private static final Logger log = LoggerFactory.getLogger(WebSocketPings.class);

	/** Close code 1001 (going away), RFC 6455 section 7.4.1. */
	private static final short GOING_AWAY = 1001;

	private WebSocketPings() {
	}

	/** Starts pinging {@code socket} on {@code vertx}'s timers until it closes. */
	static void start(Vertx vertx, WebSocket socket, WatchLiveness liveness, String target) {
		AtomicBoolean answered = new AtomicBoolean(true);
		socket.pongHandler((payload) -> answered.set(true));
		vertx.setPeriodic(liveness.pingInterval().toMillis(), (timer) -> {
			if (socket.isClosed()) {
				vertx.cancelTimer(timer);
			}
			else if (!answered.getAndSet(false)) {
				vertx.cancelTimer(timer);
				log.warn("The watch {} answered no ping within {}: its connection is taken as dead and closed", target,
						liveness.pingInterval());
				socket.close(GOING_AWAY, "no pong");
			}
			else {
				socket.writePing(Buffer.buffer());
			}
		});
	}

}
