package io.jcilium.identity.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The identity client against the real identity-service (started in this JVM) and a real
 * {@code redis-server}: its calls, its Watch-fed cache, and how it lives through Redis
 * and the service going away and coming back, with no restart of either side.
 */
class IdentityClientIT {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final Labels WEB = labels("k8s:app=web", "k8s:io.kubernetes.pod.namespace=default");

	private static final Labels DB = labels("k8s:app=db", "k8s:io.kubernetes.pod.namespace=default");

	private final Events events = new Events();

	@BeforeEach
	void emptyRedis() throws Exception {
		redisServer.start();
		redisServer.flushAll();
	}

	@Test
	void allocateLookupReleaseAndTheCacheFollowsTheWatchStream() throws Exception {
		try (IdentityServiceOnPort service = new IdentityServiceOnPort(redisServer.port()).start();
				IdentityClient client = IdentityClient.create(settings(service));
				IdentityClient nodeB = IdentityClient.create(settings(service.target(), "node-b"))) {
			long web = client.allocate(WEB, "node-a");
			assertThat(web).isBetween(256L, 65535L);
			assertThat(nodeB.allocate(WEB, "node-b")).isEqualTo(web);

			client.cache().addListener(this.events);
			client.start();
			assertThat(client.cache().awaitSynced(Duration.ofSeconds(30))).isTrue();
			assertThat(this.events.seen).containsExactly("upsert " + web + " " + WEB);

			long db = client.allocate(DB, "node-a");
			await(() -> this.events.seen.size() == 2, "upsert of the new identity");
			assertThat(client.lookup(web)).contains(WEB);
			assertThat(client.lookupByLabels(DB)).hasValue(db);
			assertThat(client.lookupByLabels(labels("k8s:app=nobody"))).isEmpty();
			assertThat(client.lookup(65000)).isEmpty();
			assertThat(client.lookup(4)).contains(labels("reserved:health"));

			// Refused with the service's own words, and not retried into the breaker.
			assertThatThrownBy(() -> client.allocate(labels("reserved:host", "k8s:app=web"), "node-a"))
				.isInstanceOf(InvalidIdentityRequestException.class)
				.hasMessageContaining("reserved source");
			assertThat(client.circuitBreakerState()).isEqualTo(CircuitBreaker.State.CLOSED);

			assertThat(client.release(db, "node-a")).isTrue();
			assertThat(client.release(db, "node-a")).isFalse();
			IdentityGarbageCollector collector = service.bean(IdentityGarbageCollector.class);
			collector.runPass();
			assertThat(collector.runPass().freed()).isEqualTo(1);
			await(() -> this.events.seen.size() == 3, "delete of the freed identity");
			assertThat(this.events.seen).containsExactly("upsert " + web + " " + WEB, "upsert " + db + " " + DB,
					"delete " + db);
			assertThat(client.cache().identities()).containsOnlyKeys(web);
		}
	}

	@Test
	void redisDownAllocateFailsFastCachedLookupsAnswerAndRecoveryKeepsTheIds() throws Exception {
		try (IdentityServiceOnPort service = new IdentityServiceOnPort(redisServer.port()).start();
				IdentityClient client = IdentityClient.create(settings(service))) {
			client.start();
			assertThat(client.cache().awaitSynced(Duration.ofSeconds(30))).isTrue();
			long web = client.allocate(WEB, "node-a");
			await(() -> client.cache().find(web).isPresent(), "the allocation in the cache");

			redisServer.kill();
			await(() -> failsUnavailable(client, DB), "allocation failing once Redis is gone");
			long slowest = 0;
			for (int i = 0; i < 5; i++) {
				long started = System.nanoTime();
				IdentityUnavailableException failure = catchThrowableOfType(IdentityUnavailableException.class,
						() -> client.allocate(DB, "node-a"));
				long millis = (System.nanoTime() - started) / 1_000_000;
				slowest = Math.max(slowest, millis);
				// Fast means the service answered that Redis is down, rather than waiting
				// for Redis until the attempt's deadline.
				assertThat(failure).hasMessageContaining("identity-service at 127.0.0.1:" + service.grpcPort())
					.hasMessageContaining("Redis is unavailable")
					.hasMessageContaining("since ");
			}
			System.out.println("IdentityClientIT: allocate while Redis is down failed in at most " + slowest + " ms");
			// Known identities are answered from the cache, without the service.
			assertThat(client.lookup(web)).contains(WEB);
			assertThat(client.lookupByLabels(WEB)).hasValue(web);

			redisServer.start();
			await(() -> allocates(client, WEB), "allocation working again after Redis restarted");
			assertThat(client.allocate(WEB, "node-a")).isEqualTo(web);
			long db = client.allocate(DB, "node-a");
			assertThat(db).isNotEqualTo(web);
			assertThat(client.outage()).isEmpty();
		}
	}

	@Test
	void serviceStoppedFailsFastAndRestartedOnTheSamePortIsResnapshot() throws Exception {
		try (IdentityServiceOnPort service = new IdentityServiceOnPort(redisServer.port()).start();
				IdentityClient client = IdentityClient.create(settings(service))) {
			client.cache().addListener(this.events);
			client.start();
			assertThat(client.cache().awaitSynced(Duration.ofSeconds(30))).isTrue();
			long web = client.allocate(WEB, "node-a");
			long db = client.allocate(DB, "node-a");
			await(() -> this.events.seen.size() == 2, "both allocations in the cache");

			service.stop();
			await(() -> failsUnavailable(client, labels("k8s:app=third"))
					&& client.circuitBreakerState() == CircuitBreaker.State.OPEN, "the circuit breaker to open");
			long started = System.nanoTime();
			IdentityUnavailableException failure = catchThrowableOfType(IdentityUnavailableException.class,
					() -> client.allocate(labels("k8s:app=third"), "node-a"));
			long millis = (System.nanoTime() - started) / 1_000_000;
			System.out.println("IdentityClientIT: allocate with the service stopped and the breaker open failed in "
					+ millis + " ms");
			// Fast means no attempt went out: the breaker refused the call.
			assertThat(failure).hasMessageContaining("identity-service at 127.0.0.1:" + service.grpcPort())
				.hasMessageContaining("UNAVAILABLE")
				.hasMessageContaining("circuit breaker open");
			assertThat(client.lookup(db)).contains(DB);
			await(() -> !client.cache().isSynced(), "the cache to notice the stream is gone");

			// While the service is away its table changes (here: emptied), so the
			// snapshot after the restart must replace what the cache holds.
			redisServer.flushAll();
			service.start();
			await(() -> client.cache().isSynced(), "the cache to resync");
			assertThat(client.cache().snapshots()).isGreaterThanOrEqualTo(2);
			assertThat(client.watchReconnects()).isPositive();
			assertThat(this.events.seen).containsExactly("upsert " + web + " " + WEB, "upsert " + db + " " + DB,
					"delete " + web, "delete " + db);
			assertThat(client.lookupByLabels(WEB)).isEmpty();

			await(() -> allocates(client, WEB), "allocation working again after the service restarted");
			long again = client.lookupByLabels(WEB).orElseThrow();
			await(() -> this.events.seen.size() == 5, "the new allocation in the cache");
			assertThat(this.events.seen.get(4)).isEqualTo("upsert " + again + " " + WEB);
		}
	}

	@Test
	void watchNoticesAConnectionThatDiedSilentlyAndFollowsChangesAgain() throws Exception {
		try (IdentityServiceOnPort service = new IdentityServiceOnPort(redisServer.port()).start();
				BlackholeProxy proxy = new BlackholeProxy(service.grpcPort());
				IdentityClient client = IdentityClient.create(settings(proxy.target())
					.withKeepAlive(new KeepAliveSettings(Duration.ofSeconds(10), Duration.ofSeconds(2))));
				IdentityClient otherNode = IdentityClient.create(settings(service.target(), "node-b"))) {
			long web = client.allocate(WEB, "node-a");
			client.cache().addListener(this.events);
			client.start();
			assertThat(client.cache().awaitSynced(Duration.ofSeconds(30))).isTrue();
			assertThat(this.events.seen).containsExactly("upsert " + web + " " + WEB);

			// The path breaks: nothing gets through, and nobody closes anything.
			proxy.blackholeOpenConnections();
			long db = otherNode.allocate(DB, "node-b");

			// The keep-alive ping goes unanswered, the connection is dropped, and the
			// Watch stream comes back on a new one with a fresh snapshot.
			await(() -> this.events.seen.contains("upsert " + db + " " + DB), "the new identity in the cache");
			assertThat(client.watchReconnects()).isPositive();
			assertThat(client.lookupByLabels(DB)).hasValue(db);
		}
	}

	private static IdentityClientSettings settings(IdentityServiceOnPort service) {
		return settings(service.target());
	}

	private static IdentityClientSettings settings(String target) {
		return settings(target, "node-a");
	}

	/** A client of the node: identity-service lets it act only for itself. */
	private static IdentityClientSettings settings(String target, String node) {
		return IdentityClientSettings.defaults(target, node)
			// Patient: the first calls meet a cold service (and client) on a machine
			// shared with other builds. Failing fast during outages does not depend on
			// these: the service answers at once, or the connection is refused.
			.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15))
			// A short open state, so that recovery shows quickly; a window that a slow
			// first
			// call on a busy machine does not trip.
			.withCircuitBreaker(new BreakerSettings(50, 6, 6, Duration.ofSeconds(1)))
			.withWatchBackoff(new BackoffSettings(Duration.ofMillis(100), Duration.ofSeconds(1)));
	}

	private static boolean failsUnavailable(IdentityClient client, Labels labels) {
		try {
			client.allocate(labels, "node-a");
			return false;
		}
		catch (IdentityUnavailableException ex) {
			return true;
		}
	}

	private static boolean allocates(IdentityClient client, Labels labels) {
		try {
			client.allocate(labels, "node-a");
			return true;
		}
		catch (IdentityUnavailableException ex) {
			return false;
		}
	}

	private static void await(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("no " + what + " within 60 s");
			}
			Thread.sleep(100);
		}
	}

	private static Labels labels(String... texts) {
		return Labels.parse(List.of(texts));
	}

	/** Every cache change, in order. */
	static final class Events implements IdentityListener {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@Override
		public void upsert(long id, Labels labels) {
			this.seen.add("upsert " + id + " " + labels);
		}

		@Override
		public void delete(long id) {
			this.seen.add("delete " + id);
		}

	}

}
