package io.jcilium.k8s;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.OwnedVertxClientBuilders;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Builds the services' Kubernetes client so that an informer's watch over a link that
 * went silent (packets dropped, no reset) is noticed and listed again within a bound,
 * instead of staying open until TCP retransmission gets through after the link heals.
 * <p>
 * fabric8's Vert.x client sends no WebSocket pings ({@code websocketPingInterval} is
 * applied only by its OkHttp client), its transport has only the kernel's two-hour
 * keepalive (Vert.x 4.5 applies keepalive timings to servers only), and the informer
 * closes its own watch only every 5 to 10 minutes. So:
 * <ul>
 * <li>every watch (a WebSocket) is pinged by {@link WebSocketPings} and closed when a
 * ping goes unanswered, within {@link WatchLiveness#bound()};</li>
 * <li>a watch that ends is re-opened from its resource version once
 * ({@value #REWATCHES_BEFORE_RELIST}); when that fails too the informer lists again and
 * watches from the list, as client-go's reflector does after a watch error, so a change
 * made while the link was down is seen even when the server no longer has it in its watch
 * window.</li>
 * </ul>
 * Plain Java: Spring wires it in each service.
 */
public final class KubernetesClients {

	/**
	 * Re-opened watches after a watch ended before the informer lists again. One: a watch
	 * the server ended on time (its {@code timeoutSeconds}) comes back at once, without a
	 * list.
	 */
	public static final int REWATCHES_BEFORE_RELIST = 1;

	private static final String DISABLE_DNS_RESOLVER = "vertx.disableDnsResolver";

	private KubernetesClients() {
	}

	/**
	 * The usual configuration (in-cluster service account, else
	 * {@code KUBECONFIG}/{@code ~/.kube/config}) with {@link WatchLiveness#DEFAULT};
	 * building it does no I/O.
	 */
	public static KubernetesClient create() {
		return create(new ConfigBuilder().build(), WatchLiveness.DEFAULT);
	}

	/**
	 * A client for {@code config} whose watches are held to {@code liveness}.
	 * @param config the API server and credentials; its watch reconnect limit is set to
	 * {@link #REWATCHES_BEFORE_RELIST}
	 * @param liveness how soon a silent watch is ended
	 * @return the client; closing it closes its transport
	 */
	public static KubernetesClient create(Config config, WatchLiveness liveness) {
		config.setWatchReconnectLimit(REWATCHES_BEFORE_RELIST);
		return new KubernetesClientBuilder().withConfig(config)
			.withHttpClientFactory(new LivenessClientFactory(liveness))
			.build();
	}

	/**
	 * fabric8's Vert.x factory, on a Vert.x instance of its own whose HTTP clients ping
	 * their WebSockets. fabric8 7.5 never calls its factory's {@code additionalConfig}
	 * hook and keeps the Vert.x WebSocket to itself, so both are reached where the
	 * instance makes the client.
	 */
	private static final class LivenessClientFactory extends VertxHttpClientFactory {

		private final WatchLiveness liveness;

		LivenessClientFactory(WatchLiveness liveness) {
			this.liveness = liveness;
		}

		@Override
		public VertxHttpClientBuilder<VertxHttpClientFactory> newBuilder() {
			Vertx vertx = newVertx();
			return OwnedVertxClientBuilders.owning(this, intercepting(Vertx.class, vertx, "createHttpClient",
					(args, client) -> pinging(vertx, (HttpClient) client, this.liveness), (args) -> {
						if (args[0] instanceof HttpClientOptions options) {
							options.setWebSocketClosingTimeout((int) this.liveness.closeTimeout().toSeconds());
						}
					}));
		}

	}

	/** {@code client}, except that every WebSocket it opens is pinged. */
	static HttpClient pinging(Vertx vertx, HttpClient client, WatchLiveness liveness) {
		return intercepting(HttpClient.class, client, "webSocket", (args, future) -> {
			String target = (args[0] instanceof WebSocketConnectOptions options) ? options.getURI() : "";
			@SuppressWarnings("unchecked")
			Future<WebSocket> opened = (Future<WebSocket>) future;
			opened.onSuccess((socket) -> WebSocketPings.start(vertx, socket, liveness, target));
			return future;
		}, (args) -> {
		});
	}

	/**
	 * {@code target} seen through {@code type}, with {@code before} applied to the
	 * arguments and {@code after} to the result of each call of the method named
	 * {@code method} that takes arguments.
	 */
	private static <T> T intercepting(Class<T> type, T target, String method,
			BiFunction<Object[], Object, Object> after, Consumer<Object[]> before) {
		return type
			.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, called, args) -> {
				boolean intercepted = method.equals(called.getName()) && args != null && args.length > 0;
				if (intercepted) {
					before.accept(args);
				}
				Object result;
				try {
					result = called.invoke(target, args);
				}
				catch (InvocationTargetException ex) {
					throw ex.getCause();
				}
				return intercepted ? after.apply(args, result) : result;
			}));
	}

	/**
	 * A Vert.x instance as fabric8 makes its own: daemon threads, no file cache, the
	 * JDK's resolver.
	 */
	static Vertx newVertx() {
		synchronized (KubernetesClients.class) {
			String resolver = System.getProperty(DISABLE_DNS_RESOLVER);
			System.setProperty(DISABLE_DNS_RESOLVER, "true");
			try {
				return Vertx.vertx(new VertxOptions().setUseDaemonThread(true)
					.setFileSystemOptions(
							new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
			}
			finally {
				if (resolver == null) {
					System.clearProperty(DISABLE_DNS_RESOLVER);
				}
				else {
					System.setProperty(DISABLE_DNS_RESOLVER, resolver);
				}
			}
		}
	}

}
