package io.jcilium.k8s;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK HTTP client that is another one in every respect except that each WebSocket it
 * opens is watched by {@link WebSocketPings}: the one place where fabric8's JDK transport
 * hands the JDK both the socket's listener and its builder.
 */
final class PingingHttpClient extends java.net.http.HttpClient {

	private final java.net.http.HttpClient client;

	private final WatchLiveness liveness;

	private PingingHttpClient(java.net.http.HttpClient client, WatchLiveness liveness) {
		this.client = client;
		this.liveness = liveness;
	}

	@Override
	public WebSocket.Builder newWebSocketBuilder() {
		return new PingedWebSocketBuilder(this.client.newWebSocketBuilder());
	}

	@Override
	public Optional<CookieHandler> cookieHandler() {
		return this.client.cookieHandler();
	}

	@Override
	public Optional<Duration> connectTimeout() {
		return this.client.connectTimeout();
	}

	@Override
	public Redirect followRedirects() {
		return this.client.followRedirects();
	}

	@Override
	public Optional<ProxySelector> proxy() {
		return this.client.proxy();
	}

	@Override
	public SSLContext sslContext() {
		return this.client.sslContext();
	}

	@Override
	public SSLParameters sslParameters() {
		return this.client.sslParameters();
	}

	@Override
	public Optional<Authenticator> authenticator() {
		return this.client.authenticator();
	}

	@Override
	public Version version() {
		return this.client.version();
	}

	@Override
	public Optional<Executor> executor() {
		return this.client.executor();
	}

	@Override
	public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
			throws IOException, InterruptedException {
		return this.client.send(request, handler);
	}

	@Override
	public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
		return this.client.sendAsync(request, handler);
	}

	@Override
	public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
			HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
		return this.client.sendAsync(request, handler, pushPromiseHandler);
	}

	/** Opens WebSockets whose listener is {@link WebSocketPings} around the caller's. */
	private final class PingedWebSocketBuilder implements WebSocket.Builder {

		private final WebSocket.Builder builder;

		PingedWebSocketBuilder(WebSocket.Builder builder) {
			this.builder = builder;
		}

		@Override
		public WebSocket.Builder header(String name, String value) {
			this.builder.header(name, value);
			return this;
		}

		@Override
		public WebSocket.Builder connectTimeout(Duration timeout) {
			this.builder.connectTimeout(timeout);
			return this;
		}

		@Override
		public WebSocket.Builder subprotocols(String mostPreferred, String... lesserPreferred) {
			this.builder.subprotocols(mostPreferred, lesserPreferred);
			return this;
		}

		@Override
		public CompletableFuture<WebSocket> buildAsync(URI uri, WebSocket.Listener listener) {
			PingingHttpClient outer = PingingHttpClient.this;
			Executor executor = outer.client.executor().orElseGet(ForkJoinPool::commonPool);
			return this.builder.buildAsync(uri, new WebSocketPings(listener, outer.liveness, executor, uri.toString()));
		}

	}

	/**
	 * The JDK's client builder, whose client is wrapped: every other setting goes to the
	 * JDK's builder as it is.
	 */
	static final class PingingBuilder implements java.net.http.HttpClient.Builder {

		private final java.net.http.HttpClient.Builder builder;

		private final WatchLiveness liveness;

		PingingBuilder(java.net.http.HttpClient.Builder builder, WatchLiveness liveness) {
			this.builder = builder;
			this.liveness = liveness;
		}

		@Override
		public java.net.http.HttpClient build() {
			return new PingingHttpClient(this.builder.build(), this.liveness);
		}

		@Override
		public PingingBuilder cookieHandler(CookieHandler handler) {
			this.builder.cookieHandler(handler);
			return this;
		}

		@Override
		public PingingBuilder connectTimeout(Duration duration) {
			this.builder.connectTimeout(duration);
			return this;
		}

		@Override
		public PingingBuilder sslContext(SSLContext context) {
			this.builder.sslContext(context);
			return this;
		}

		@Override
		public PingingBuilder sslParameters(SSLParameters parameters) {
			this.builder.sslParameters(parameters);
			return this;
		}

		@Override
		public PingingBuilder executor(Executor executor) {
			this.builder.executor(executor);
			return this;
		}

		@Override
		public PingingBuilder followRedirects(Redirect policy) {
			this.builder.followRedirects(policy);
			return this;
		}

		@Override
		public PingingBuilder version(Version version) {
			this.builder.version(version);
			return this;
		}

		@Override
		public PingingBuilder priority(int priority) {
			this.builder.priority(priority);
			return this;
		}

		@Override
		public PingingBuilder proxy(ProxySelector selector) {
			this.builder.proxy(selector);
			return this;
		}

		@Override
		public PingingBuilder authenticator(Authenticator authenticator) {
			this.builder.authenticator(authenticator);
			return this;
		}

	}

}
