package io.jcilium.bgp.nodeconfig;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.jcilium.k8s.WatchLiveness;
import io.jcilium.testsupport.LoopbackPartition;
import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The speaker's Kubernetes client is the guarded one of {@code k8s-client}: a watch of
 * the client that {@link NodeConfigConfiguration} builds, over a link that goes silent
 * (iptables drops every packet, no reset), ends within the watch liveness bound, so the
 * speaker's informers list again after the heal instead of waiting for TCP. fabric8's
 * mock API server in CRUD mode listens on all loopback addresses; the client reaches it
 * at 127.0.0.4, which is cut. Needs root and iptables.
 */
class ApiServerWatchLivenessIT {

	private static final String ADDRESS = "127.0.0.4";

	/** Slack over the liveness bound for a loaded machine. */
	private static final Duration SLACK = Duration.ofSeconds(25);

	private static final List<String> SETTINGS = List.of("kubernetes.master", "kubernetes.namespace",
			"kubernetes.auth.tryKubeConfig", "kubernetes.auth.tryServiceAccount");

	private KubernetesMockServer server;

	private KubernetesClient client;

	private LoopbackPartition link;

	@BeforeEach
	void start() throws IOException {
		Prerequisites.require("root".equals(System.getProperty("user.name")) && Prerequisites.onPath("iptables"),
				"ApiServerWatchLivenessIT needs root and iptables (apt-get install -y iptables) to drop a link's packets");
		this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new KubernetesMixedDispatcher(new HashMap<>()), false);
		this.server.init(InetAddress.getByName("0.0.0.0"), 0);
		this.link = new LoopbackPartition(ADDRESS, this.server.getPort());
		// The service's own configuration path: the usual settings, here as system
		// properties.
		System.setProperty("kubernetes.master", "http://" + ADDRESS + ":" + this.server.getPort());
		System.setProperty("kubernetes.namespace", "bgp");
		System.setProperty("kubernetes.auth.tryKubeConfig", "false");
		System.setProperty("kubernetes.auth.tryServiceAccount", "false");
	}

	@AfterEach
	void stop() throws Exception {
		if (this.link != null) {
			this.link.heal();
		}
		SETTINGS.forEach(System::clearProperty);
		if (this.client != null) {
			this.client.close();
		}
		if (this.server != null) {
			this.server.destroy();
		}
	}

	@Test
	void theSpeakersWatchOverASilentLinkEndsWithinTheLivenessBound() throws Exception {
		this.client = new NodeConfigConfiguration().kubernetesClient();
		SharedIndexInformer<ConfigMap> informer = this.client.configMaps()
			.inNamespace("bgp")
			.inform(new ResourceEventHandler<>() {
				@Override
				public void onAdd(ConfigMap map) {
				}

				@Override
				public void onUpdate(ConfigMap before, ConfigMap after) {
				}

				@Override
				public void onDelete(ConfigMap map, boolean unknownFinalState) {
				}
			});
		assertThat(await(Duration.ofSeconds(30), informer::isWatching)).as("the informer watches").isTrue();

		long cut = System.nanoTime();
		this.link.cut();
		Duration bound = WatchLiveness.DEFAULT.bound().plus(SLACK);
		assertThat(await(bound, () -> !informer.isWatching()))
			.as("the speaker's client notices its silently dead watch within %s", bound)
			.isTrue();
		System.out.printf("speaker's client: dead watch noticed after %d ms (bound %d ms)%n",
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut), WatchLiveness.DEFAULT.bound().toMillis());
	}

	private static boolean await(Duration bound, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + bound.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(100);
		}
		return true;
	}

}
