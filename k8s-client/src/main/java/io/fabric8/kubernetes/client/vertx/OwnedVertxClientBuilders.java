package io.fabric8.kubernetes.client.vertx;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.vertx.core.Vertx;

/**
 * Opens fabric8's package-private builder that closes the Vert.x instance it was given
 * with its client, as fabric8 does for the instance it makes itself. Our client makes its
 * own instance (on the epoll transport, see {@code io.jcilium.k8s.KubernetesClients}),
 * and the public constructor would leave it running after the client is closed.
 */
public final class OwnedVertxClientBuilders {

	private OwnedVertxClientBuilders() {
	}

	/**
	 * A builder whose clients close {@code vertx} when closed.
	 * @param <F> the factory's type
	 * @param factory the factory the builder belongs to
	 * @param vertx the instance the clients run on, and close
	 * @return the builder
	 */
	public static <F extends HttpClient.Factory> VertxHttpClientBuilder<F> owning(F factory, Vertx vertx) {
		return new VertxHttpClientBuilder<>(factory, vertx, true);
	}

}
