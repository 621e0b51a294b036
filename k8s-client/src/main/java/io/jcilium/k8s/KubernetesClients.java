package io.jcilium.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Builds the services' Kubernetes client, on the JDK's HTTP client (fabric8's
 * {@code kubernetes-httpclient-jdk}, the only transport our services ship: no Vert.x, its
 * event loops and buffers), so that an informer's watch over a link that went silent
 * (packets dropped, no reset) is noticed and listed again within a bound, instead of
 * staying open until TCP retransmission gets through after the link heals.
 * <p>
 * fabric8's JDK client sends no WebSocket pings ({@code websocketPingInterval} is applied
 * only by its OkHttp client), the JDK's sockets have only the kernel's two-hour
 * keepalive, and the informer closes its own watch only every 5 to 10 minutes. So:
 * <ul>
 * <li>every watch (a WebSocket) is pinged by {@link WebSocketPings} and ended when a ping
 * goes unanswered, within {@link WatchLiveness#bound()};</li>
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
		return create(config, liveness, new KubernetesSerialization());
	}

	/**
	 * A client for {@code config} whose watches are held to {@code liveness} and whose
	 * objects are read and written by {@code serialization}.
	 * @param config the API server and credentials; its watch reconnect limit is set to
	 * {@link #REWATCHES_BEFORE_RELIST}
	 * @param liveness how soon a silent watch is ended
	 * @param serialization the client's JSON mapping, e.g. one that reads some kinds in a
	 * cut form
	 * @return the client; closing it closes its transport
	 */
	public static KubernetesClient create(Config config, WatchLiveness liveness,
			KubernetesSerialization serialization) {
		config.setWatchReconnectLimit(REWATCHES_BEFORE_RELIST);
		return new KubernetesClientBuilder().withConfig(config)
			.withHttpClientFactory(new LivenessClientFactory(liveness))
			.withKubernetesSerialization(serialization)
			.build();
	}

	/**
	 * fabric8's JDK factory, whose JDK clients ping the WebSockets they open and speak
	 * HTTP/1.1. fabric8 builds each WebSocket with the JDK client's own builder and keeps
	 * the socket to itself, so the JDK client is wrapped where the factory makes it.
	 * <p>
	 * HTTP/1.1, as fabric8's Vert.x client spoke: the JDK's HTTP/2 (its default) would
	 * carry every request to the API server over one connection that nothing checks (the
	 * JDK sends no HTTP/2 pings, unlike client-go's health check), so a silently dead
	 * connection would stall every call until TCP gives up, a request timeout not closing
	 * it; over HTTP/1.1 a timed-out request closes its connection and the next one opens
	 * another. In plain text the JDK would also ask every new connection to upgrade to
	 * HTTP/2 ({@code Upgrade: h2c}).
	 */
	private static final class LivenessClientFactory extends JdkHttpClientFactory {

		private final WatchLiveness liveness;

		LivenessClientFactory(WatchLiveness liveness) {
			this.liveness = liveness;
		}

		@Override
		protected void additionalConfig(java.net.http.HttpClient.Builder builder) {
			builder.version(java.net.http.HttpClient.Version.HTTP_1_1);
		}

		@Override
		protected java.net.http.HttpClient.Builder createNewHttpClientBuilder() {
			return new PingingHttpClient.PingingBuilder(super.createNewHttpClientBuilder(), this.liveness);
		}

	}

}
