package io.jcilium.k8s;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.jcilium.testsupport.LoopbackPartition;
import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An informer's watch over a link that goes silent (every packet dropped, no reset), on
 * real sockets: fabric8's mock API server in CRUD mode listens on all loopback addresses;
 * the informer reaches it at 127.0.0.2, which iptables cuts, while the test writes
 * through 127.0.0.1. The informer must notice the dead watch within the liveness bound,
 * and after the heal see a change made while the link was down, listed again, each object
 * added once. Needs root and iptables.
 */
class SilentPartitionIT {

	private static final String NAMESPACE = "drill";

	/**
	 * A ping every 3 s: dead within 6 s + 1 s to close. Not shorter: the client's event
	 * loop stalls for seconds loading classes at its first watch event on a loaded
	 * machine, and a ping it cannot answer in time ends a healthy watch.
	 */
	private static final WatchLiveness LIVENESS = new WatchLiveness(Duration.ofSeconds(3), Duration.ofSeconds(1));

	/** Slack over the liveness bound for a loaded machine. */
	private static final Duration SLACK = Duration.ofSeconds(15);

	/** Pings a healthy watch must answer before the cut. */
	private static final int HEALTHY_PINGS = 3;

	/** Long enough that the re-opened watch fails too and the informer lists again. */
	private static final Duration PARTITION = Duration.ofSeconds(25);

	/** After the heal: the informer's list backoff (at most 32 s) and the list itself. */
	private static final Duration AFTER_HEAL = Duration.ofSeconds(60);

	private KubernetesMockServer server;

	private KubernetesClient writer;

	private KubernetesClient watcher;

	private LoopbackPartition link;

	@BeforeEach
	void start() throws IOException {
		Prerequisites.require("root".equals(System.getProperty("user.name")) && Prerequisites.onPath("iptables"),
				"SilentPartitionIT needs root and iptables (apt-get install -y iptables) to drop a link's packets");
		this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new KubernetesMixedDispatcher(new HashMap<>()), false);
		this.server.init(InetAddress.getByName("0.0.0.0"), 0);
		this.link = new LoopbackPartition("127.0.0.2", this.server.getPort());
		this.writer = new KubernetesClientBuilder().withConfig(config("127.0.0.1")).build();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.link != null) {
			this.link.heal();
		}
		if (this.watcher != null) {
			this.watcher.close();
		}
		if (this.writer != null) {
			this.writer.close();
		}
		if (this.server != null) {
			this.server.destroy();
		}
	}

	@Test
	void aWatchOverASilentLinkIsDroppedWithinTheBoundAndTheInformerListsAgainAfterTheHeal() throws Exception {
		this.watcher = KubernetesClients.create(config("127.0.0.2"), LIVENESS);
		create("before");
		Map<String, AtomicInteger> added = new ConcurrentHashMap<>();
		SharedIndexInformer<ConfigMap> informer = this.watcher.configMaps()
			.inNamespace(NAMESPACE)
			.inform(new ResourceEventHandler<>() {
				@Override
				public void onAdd(ConfigMap map) {
					added.computeIfAbsent(map.getMetadata().getName(), (name) -> new AtomicInteger()).incrementAndGet();
				}

				@Override
				public void onUpdate(ConfigMap before, ConfigMap after) {
				}

				@Override
				public void onDelete(ConfigMap map, boolean unknownFinalState) {
				}
			});
		assertThat(await(Duration.ofSeconds(30), informer::isWatching)).as("the informer watches").isTrue();
		int requests = this.server.getRequestCount();
		Thread.sleep(LIVENESS.pingInterval().multipliedBy(HEALTHY_PINGS).toMillis());
		assertThat(this.server.getRequestCount()).as("a healthy watch answers its pings: no new watch or list")
			.isEqualTo(requests);
		assertThat(informer.isWatching()).isTrue();

		long cut = System.nanoTime();
		this.link.cut();
		Duration bound = LIVENESS.bound().plus(SLACK);
		assertThat(await(bound, () -> !informer.isWatching()))
			.as("the informer notices its silently dead watch within %s", bound)
			.isTrue();
		long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
		create("during");
		sleepUntil(cut + PARTITION.toNanos());
		assertThat(added).as("nothing reaches the informer over the cut link").doesNotContainKey("during");

		this.link.heal();
		long healed = System.nanoTime();
		assertThat(await(AFTER_HEAL, () -> added.containsKey("during") && informer.isWatching()))
			.as("after the heal the informer sees the change made during the partition and watches again, within %s",
					AFTER_HEAL)
			.isTrue();
		long caughtUpMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed);
		assertThat(added).as("each object added once").containsOnlyKeys("before", "during");
		assertThat(added.values()).allSatisfy((count) -> assertThat(count.get()).isEqualTo(1));
		System.out.printf(
				"silent partition: dead watch noticed after %d ms (bound %d ms), caught up %d ms after the heal%n",
				noticedMs, LIVENESS.bound().toMillis(), caughtUpMs);
	}

	private Config config(String address) {
		return new ConfigBuilder(Config.empty()).withMasterUrl("http://" + address + ":" + this.server.getPort())
			.withNamespace(NAMESPACE)
			.build();
	}

	private void create(String name) {
		this.writer.configMaps()
			.inNamespace(NAMESPACE)
			.resource(new ConfigMapBuilder().withNewMetadata()
				.withName(name)
				.withNamespace(NAMESPACE)
				.endMetadata()
				.addToData("made", name)
				.build())
			.create();
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

	private static void sleepUntil(long nanoTime) throws InterruptedException {
		long left = nanoTime - System.nanoTime();
		if (left > 0) {
			TimeUnit.NANOSECONDS.sleep(left);
		}
	}

}
