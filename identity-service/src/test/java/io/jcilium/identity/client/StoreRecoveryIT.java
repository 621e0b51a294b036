package io.jcilium.identity.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.jcilium.common.label.Labels;
import io.jcilium.identity.allocation.IdentityGarbageCollector;
import io.jcilium.identity.client.IdentityClientSettings.BackoffSettings;
import io.jcilium.identity.client.IdentityClientSettings.BreakerSettings;
import io.jcilium.identity.client.IdentityClientSettings.KeepAliveSettings;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery of the identity table with live agents (identity clients holding identities as
 * an agent's endpoints do) against the real identity-service and a real
 * {@code redis-server}: Redis losing every key under them (FLUSHALL), and an agent cut
 * off for longer than its lease.
 */
class StoreRecoveryIT {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final Labels WEB = labels("k8s:app=web", "k8s:io.kubernetes.pod.namespace=default");

	private static final Labels DB = labels("k8s:app=db", "k8s:io.kubernetes.pod.namespace=default");

	private static final Labels API = labels("k8s:app=api", "k8s:io.kubernetes.pod.namespace=default");

	@BeforeEach
	void emptyRedis() throws Exception {
		redisServer.start();
		redisServer.flushAll();
	}

	@Test
	void redisWipedUnderLiveAgentsKeepsEveryNumberOnItsLabelsAtEveryAgentAndTheReferencesComeBack() throws Exception {
		try (IdentityServiceOnPort service = new IdentityServiceOnPort(redisServer.port()).start();
				Agent a = new Agent(service.target(), "node-a");
				Agent b = new Agent(service.target(), "node-b");
				Agent c = new Agent(service.target(), "node-c")) {
			long web = a.hold(WEB);
			long db = b.hold(DB);
			for (Agent agent : List.of(a, b, c)) {
				agent.client.start();
				await(() -> agent.client.cache().identities().equals(Map.of(web, WEB, db, DB)),
						agent.node + "'s cache holding both identities");
			}

			redisServer.flushAll();

			// A new label set after the wipe: on a store that restarts at the first
			// number, it would get web's number while node-a's pods still carry it.
			await(() -> allocates(c.client, API, "node-c"), "allocation working after the wipe");
			long api = c.hold(API);
			assertThat(api).isNotIn(web, db);
			for (Agent agent : List.of(a, b, c)) {
				await(() -> agent.client.cache().identities().equals(Map.of(web, WEB, db, DB, api, API)),
						agent.node + "'s cache holding the identities with their numbers of before the wipe");
			}

			// The agents learn from their heartbeat that their lease was lost, and
			// register what they hold: the GC's two passes then free nothing.
			await(() -> a.client.successes("register") > 0 && b.client.successes("register") > 0,
					"node-a and node-b registering their identities again");
			IdentityGarbageCollector collector = service.bean(IdentityGarbageCollector.class);
			assertThat(collector.runPass().freed() + collector.runPass().freed()).isZero();
			assertThat(c.client.lookup(web)).contains(WEB);
			assertThat(a.client.release(web, "node-a")).as("node-a's reference registered again").isTrue();
			assertThat(b.client.release(db, "node-b")).as("node-b's reference registered again").isTrue();
		}
	}

	@Test
	void anAgentCutOffLongerThanItsLeaseGetsItsIdentitiesBackWhenItReconnects() throws Exception {
		try (IdentityServiceOnPort service = new IdentityServiceOnPort(redisServer.port(),
				"jcilium.identity.allocation.lease-ttl=3s")
			.start();
				BlackholeProxy proxy = new BlackholeProxy(service.grpcPort());
				Agent a = new Agent(proxy.target(), "node-a",
						new KeepAliveSettings(Duration.ofSeconds(10), Duration.ofSeconds(2)));
				Agent other = new Agent(service.target(), "node-b")) {
			long web = a.hold(WEB);
			a.client.start();
			other.client.start();
			await(() -> other.client.cache().find(web).isPresent(), "the other node seeing web");

			proxy.partition();
			IdentityGarbageCollector collector = service.bean(IdentityGarbageCollector.class);
			await(() -> collector.runPass().referencesExpired() > 0, "node-a's lease to expire");
			collector.runPass();
			collector.runPass();
			await(() -> other.client.cache().find(web).isEmpty(), "web freed while node-a is cut off");

			proxy.heal();
			await(() -> a.client.successes("register") > 0, "node-a registering its identities again");
			await(() -> other.client.cache().find(web).equals(Optional.of(WEB)),
					"web back under its number at the other node");
			assertThat(collector.runPass().freed() + collector.runPass().freed()).isZero();
			assertThat(a.client.release(web, "node-a")).as("node-a's reference registered again").isTrue();
		}
	}

	private static boolean allocates(IdentityClient client, Labels labels, String node) {
		try {
			client.allocate(labels, node);
			return true;
		}
		catch (IdentityUnavailableException ex) {
			return false;
		}
	}

	private static void await(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("no " + what + " within 90 s");
			}
			Thread.sleep(100);
		}
	}

	private static Labels labels(String... texts) {
		return Labels.parse(List.of(texts));
	}

	/**
	 * An agent's use of the client: the identities it holds, registered again whenever
	 * its lease was lost, as the agent's resolver does.
	 */
	private static final class Agent implements AutoCloseable {

		private final String node;

		private final IdentityClient client;

		private final Map<Long, Labels> held = new ConcurrentHashMap<>();

		Agent(String target, String node) {
			this(target, node, IdentityClientSettings.defaults(target, node).keepAlive());
		}

		/** An agent that pings its connection as often as given, to notice a dead one. */
		Agent(String target, String node, KeepAliveSettings keepAlive) {
			this.node = node;
			this.client = IdentityClient.create(IdentityClientSettings.defaults(target, node)
				.withKeepAlive(keepAlive)
				.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15))
				.withCircuitBreaker(new BreakerSettings(50, 6, 6, Duration.ofSeconds(1)))
				.withWatchBackoff(new BackoffSettings(Duration.ofMillis(100), Duration.ofSeconds(1)))
				.withHeartbeatInterval(Duration.ofMillis(300)));
			this.client.onLeaseLost(() -> this.client.register(Map.copyOf(this.held), node));
		}

		long hold(Labels labels) {
			long id = this.client.allocate(labels, this.node);
			this.held.put(id, labels);
			return id;
		}

		@Override
		public void close() {
			this.client.close();
		}

	}

}
