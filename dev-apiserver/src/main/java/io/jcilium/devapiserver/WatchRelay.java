package io.jcilium.devapiserver;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Serves {@code ?watch=true} the way kubectl and client-go expect it: a chunked HTTP
 * response with one JSON watch event per line. The store only serves watches over
 * WebSocket, so each HTTP watch opens one to the store and relays its messages.
 * <p>
 * The store starts every watch by replaying the existing objects as {@code ADDED}; when
 * the client names a {@code resourceVersion} (as after a list), replayed objects at or
 * before it are dropped, so the client sees changes only, as from a real API server.
 */
final class WatchRelay {

	/**
	 * Watches end after this long unless the client asks for less; clients then re-watch.
	 */
	private static final Duration MAX_WATCH = Duration.ofMinutes(30);

	private static final String END = "\u0000end";

	private final StoreClient store;

	WatchRelay(StoreClient store) {
		this.store = store;
	}

	/**
	 * Relay a watch until it times out, the store closes it or the client goes away.
	 * @param exchange the client's request
	 * @param pathAndQuery the watch path and query, as sent to the store
	 * @param sinceResourceVersion replayed objects at or before this are dropped; 0 keeps
	 * all
	 * @param timeout how long to watch
	 * @param eventObject rewrites each event's object (into a table row, for kubectl get)
	 * @throws IOException when the client cannot be written to
	 */
	void relay(HttpExchange exchange, String pathAndQuery, long sinceResourceVersion, Duration timeout,
			UnaryOperator<JsonNode> eventObject) throws IOException {
		BlockingQueue<String> events = new LinkedBlockingQueue<>();
		URI uri = URI.create("ws://" + this.store.base().getAuthority() + pathAndQuery);
		WebSocket socket;
		try {
			socket = this.store.http().newWebSocketBuilder().buildAsync(uri, new Collector(events)).join();
		}
		catch (CompletionException ex) {
			Exchanges.status(exchange, 500, "InternalError", "the CRUD store refused the watch: " + ex.getMessage());
			return;
		}
		try {
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, 0);
			OutputStream out = exchange.getResponseBody();
			out.flush();
			long deadline = System.nanoTime() + Math.min(timeout.toNanos(), MAX_WATCH.toNanos());
			while (true) {
				String event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (event == null || event.equals(END)) {
					break;
				}
				JsonNode parsed = Exchanges.JSON.readTree(event);
				if (isReplayed(parsed, sinceResourceVersion)) {
					continue;
				}
				((ObjectNode) parsed).set("object", eventObject.apply(parsed.path("object")));
				out.write(Exchanges.JSON.writeValueAsBytes(parsed));
				out.write('\n');
				out.flush();
			}
			out.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			socket.abort();
		}
	}

	private static boolean isReplayed(JsonNode event, long since) {
		if (since <= 0 || !"ADDED".equals(event.path("type").asText())) {
			return false;
		}
		String version = event.path("object").path("metadata").path("resourceVersion").asText("");
		try {
			return Long.parseLong(version) <= since;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	/** Collects whole text messages from the store's WebSocket. */
	private static final class Collector implements WebSocket.Listener {

		private final BlockingQueue<String> events;

		private final StringBuilder partial = new StringBuilder();

		Collector(BlockingQueue<String> events) {
			this.events = events;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.events.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			return onText(webSocket, new String(bytes, StandardCharsets.UTF_8), last);
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.events.add(END);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.events.add(END);
		}

	}

	static boolean isWatch(String watchParameter) {
		return "true".equals(watchParameter) || "1".equals(watchParameter);
	}

}
