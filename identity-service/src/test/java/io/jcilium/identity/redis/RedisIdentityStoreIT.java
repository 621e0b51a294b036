package io.jcilium.identity.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jcilium.identity.allocation.IdRange;
import io.jcilium.identity.allocation.NamespaceIdentityBudgetException;
import io.jcilium.identity.allocation.StoreEpochMissingException;
import io.jcilium.identity.allocation.IdentityRangeExhaustedException;
import io.jcilium.identity.allocation.IdentityStore.IdentityChange;
import io.jcilium.identity.allocation.IdentityStore.ReleaseOutcome;
import io.jcilium.identity.allocation.IdentityStore.StoredAllocation;
import io.jcilium.identity.allocation.IdentityStore.StoredIdentity;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Lua scripts against a real Redis: atomic allocate-or-get, references, leases on
 * Redis' clock, the stamp check that makes the GC race-free, and the change feed.
 */
class RedisIdentityStoreIT {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final IdRange RANGE = new IdRange(256, 65535);

	private static final Duration LEASE = Duration.ofSeconds(60);

	private LettuceConnectionFactory connectionFactory;

	private RedisChangeFeed changeFeed;

	private RedisIdentityStore store;

	private int testNumber;

	@BeforeEach
	void connect() {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redisServer.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		// A key prefix per test keeps tests apart on the one server.
		RedisKeys keys = new RedisKeys("{test-" + System.nanoTime() + "}");
		this.changeFeed = new RedisChangeFeed(this.connectionFactory, keys.channel());
		this.changeFeed.start();
		this.store = new RedisIdentityStore(new StringRedisTemplate(this.connectionFactory), this.changeFeed, keys);
		this.store.seed("epoch-1", List.of());
	}

	@Test
	void aStoreThatLostItsDataRefusesAllocationUntilSeededAndKeepsTheSeededNumbers() {
		RedisKeys keys = new RedisKeys("{wiped-" + System.nanoTime() + "}");
		RedisIdentityStore wiped = new RedisIdentityStore(new StringRedisTemplate(this.connectionFactory),
				this.changeFeed, keys);
		assertThat(wiped.epoch()).isEmpty();
		assertThatThrownBy(() -> wiped.allocate("k8s:app=api", "n3", RANGE, LEASE))
			.isInstanceOf(StoreEpochMissingException.class)
			.hasMessageContaining("lost its data");

		assertThat(wiped.seed("epoch-2",
				List.of(new StoredIdentity(256, "k8s:app=web", 0), new StoredIdentity(257, "k8s:app=db", 0))))
			.isEqualTo("epoch-2");
		// A second seeding (another replica) changes nothing.
		assertThat(wiped.seed("epoch-3", List.of(new StoredIdentity(256, "k8s:app=other", 0)))).isEqualTo("epoch-2");

		assertThat(wiped.allocate("k8s:app=api", "n3", RANGE, LEASE).identity().id()).isEqualTo(258);
		assertThat(wiped.find(256)).map(StoredIdentity::labelsKey).contains("k8s:app=web");
		assertThat(wiped.snapshot().epoch()).isEqualTo("epoch-2");
		// Seeded identities are unreferenced until their nodes register them.
		assertThat(wiped.unreferencedIds()).containsOnlyKeys(256, 257);
	}

	@Test
	void aNamespaceBudgetRefusesNewLabelSetsPastItAndFreeingMakesRoomAgain() {
		RedisKeys keys = new RedisKeys("{budget-" + System.nanoTime() + "}");
		RedisIdentityStore budgeted = new RedisIdentityStore(new StringRedisTemplate(this.connectionFactory),
				this.changeFeed, keys, 0, 3, ReplicaAcks.NONE);
		budgeted.seed("epoch-1", List.of(new StoredIdentity(300, pod("shop", "seeded"), 0)));
		// a per-pod unique label: every pod a new identity of namespace shop
		budgeted.allocate(pod("shop", "a"), "n1", RANGE, LEASE);
		int second = budgeted.allocate(pod("shop", "b"), "n1", RANGE, LEASE).identity().id();

		assertThatThrownBy(() -> budgeted.allocate(pod("shop", "c"), "n1", RANGE, LEASE))
			.isInstanceOf(NamespaceIdentityBudgetException.class)
			.hasMessageContaining("namespace 'shop' already has 3 identities")
			.hasMessageContaining("jcilium.identity.allocation.max-identities-per-namespace");
		assertThat(budgeted.findByLabels(pod("shop", "c"))).as("nothing created").isEmpty();
		// label sets that have an identity keep getting it; other namespaces are apart
		assertThat(budgeted.allocate(pod("shop", "b"), "n2", RANGE, LEASE).identity().id()).isEqualTo(second);
		budgeted.allocate(pod("bank", "a"), "n1", RANGE, LEASE);
		// and a batch cannot slip past the budget either
		List<CompletableFuture<StoredAllocation>> batch = List.of(
				budgeted.allocateAsync(pod("bank", "b"), "n1", RANGE, LEASE),
				budgeted.allocateAsync(pod("bank", "c"), "n1", RANGE, LEASE),
				budgeted.allocateAsync(pod("bank", "d"), "n1", RANGE, LEASE));
		assertThat(batch.stream().filter((future) -> future.handle((ok, failed) -> failed == null).join())).hasSize(2);

		budgeted.release(second, "n1");
		budgeted.release(second, "n2");
		budgeted.freeIfUnreferenced(budgeted.unreferencedIds());
		assertThat(budgeted.find(second)).isEmpty();
		assertThat(budgeted.allocate(pod("shop", "c"), "n1", RANGE, LEASE).created()).isTrue();
	}

	private static String pod(String namespace, String requestId) {
		return "k8s:io.kubernetes.pod.namespace=" + namespace + ";k8s:request-id=" + requestId;
	}

	@Test
	void registerGivesHeldNumbersBackAndTheLeaseReportsWhenItWasLost() {
		assertThat(this.store.renewLease("n1", LEASE)).as("a node without a lease").isFalse();
		assertThat(this.store.renewLease("n1", LEASE)).as("a live lease").isTrue();
		int taken = this.store.allocate("k8s:app=db", "n2", RANGE, LEASE).identity().id();

		List<StoredAllocation> registered = this.store.register(List.of(new StoredIdentity(300, "k8s:app=web", 0),
				new StoredIdentity(taken, "k8s:app=api", 0), new StoredIdentity(999, "k8s:app=db", 0)), "n1", RANGE,
				LEASE);

		// A free held number comes back; a number held for other labels does not, those
		// labels get a fresh one; labels that have a number keep it.
		assertThat(registered).extracting((allocation) -> allocation.identity().id())
			.containsExactly(300, taken + 1, taken);
		assertThat(registered).extracting(StoredAllocation::created).containsExactly(true, true, false);
		assertThat(this.store.find(300)).map(StoredIdentity::labelsKey).contains("k8s:app=web");
		assertThat(this.store.release(300, "n1")).isEqualTo(ReleaseOutcome.RELEASED);
		assertThat(this.store.release(taken, "n1")).isEqualTo(ReleaseOutcome.RELEASED);
	}

	@AfterEach
	void disconnect() throws Exception {
		this.changeFeed.stop();
		this.connectionFactory.destroy();
	}

	@Test
	void allocateOrGetIsStableAndCountsReferencesPerNode() {
		StoredAllocation first = this.store.allocate("k8s:app=web", "n1", RANGE, LEASE);
		StoredAllocation again = this.store.allocate("k8s:app=web", "n2", RANGE, LEASE);
		StoredAllocation other = this.store.allocate("k8s:app=db", "n1", RANGE, LEASE);
		assertThat(first.created()).isTrue();
		assertThat(again.created()).isFalse();
		assertThat(again.identity()).isEqualTo(first.identity());
		assertThat(first.identity().id()).isEqualTo(256);
		assertThat(other.identity().id()).isEqualTo(257);
		assertThat(this.store.find(256)).contains(first.identity());
		assertThat(this.store.findByLabels("k8s:app=db")).contains(other.identity());
		assertThat(this.store.release(256, "n1")).isEqualTo(ReleaseOutcome.RELEASED);
		assertThat(this.store.release(256, "n1")).isEqualTo(ReleaseOutcome.NOT_REFERENCED);
		assertThat(this.store.release(999, "n1")).isEqualTo(ReleaseOutcome.UNKNOWN_IDENTITY);
		assertThat(this.store.unreferencedIds()).isEmpty();
		assertThat(this.store.release(256, "n2")).isEqualTo(ReleaseOutcome.RELEASED);
		assertThat(this.store.unreferencedIds()).containsOnlyKeys(256);
		assertThat(this.store.snapshot().identities()).extracting(StoredIdentity::id)
			.containsExactlyInAnyOrder(256, 257);
	}

	@Test
	void concurrentAllocationsOfTheSameLabelsAgreeOnOneIdentity() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Map<String, Integer>>> results = new ArrayList<>();
			for (int client = 0; client < 8; client++) {
				String node = "node-" + (client % 2);
				results.add(pool.submit(() -> {
					Map<String, Integer> seen = new ConcurrentHashMap<>();
					for (int i = 0; i < 500; i++) {
						String labels = "k8s:app=a" + (i % 50);
						seen.put(labels, this.store.allocate(labels, node, RANGE, LEASE).identity().id());
					}
					return seen;
				}));
			}
			Map<String, Integer> agreed = new ConcurrentHashMap<>();
			for (Future<Map<String, Integer>> result : results) {
				result.get(60, TimeUnit.SECONDS).forEach((labels, id) -> assertThat(agreed.merge(labels, id, (a, b) -> {
					assertThat(b).as("identity of %s", labels).isEqualTo(a);
					return a;
				})).isEqualTo(id));
			}
			assertThat(agreed).hasSize(50);
			assertThat(agreed.values()).doesNotHaveDuplicates();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void freeingWithAStaleStampLosesTheRaceToAReAllocation() {
		int id = this.store.allocate("k8s:app=web", "n1", RANGE, LEASE).identity().id();
		this.store.release(id, "n1");
		Map<Integer, Long> seenByGc = this.store.unreferencedIds();
		// Between the GC's scan and its free, a node takes and drops the identity again.
		this.store.allocate("k8s:app=web", "n2", RANGE, LEASE);
		assertThat(this.store.freeIfUnreferenced(seenByGc)).isEmpty();
		this.store.release(id, "n2");
		assertThat(this.store.freeIfUnreferenced(seenByGc)).isEmpty();
		assertThat(this.store.find(id)).isPresent();
		List<IdentityChange> freed = this.store.freeIfUnreferenced(this.store.unreferencedIds());
		assertThat(freed).extracting((change) -> change.identity().id()).containsExactly(id);
		assertThat(this.store.find(id)).isEmpty();
		assertThat(this.store.findByLabels("k8s:app=web")).isEmpty();
	}

	@Test
	void concurrentReleaseAndReAllocateWhileCollectingNeverFreesAReferencedIdentity() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(5);
		try {
			Future<Integer> collector = pool.submit(() -> {
				int freed = 0;
				while (running.get()) {
					freed += this.store.freeIfUnreferenced(this.store.unreferencedIds()).size();
				}
				return freed;
			});
			List<Future<?>> workers = new ArrayList<>();
			for (int worker = 0; worker < 4; worker++) {
				String labels = "k8s:app=w" + worker;
				String node = "n" + worker;
				workers.add(pool.submit(() -> {
					for (int i = 0; i < 200; i++) {
						int id = this.store.allocate(labels, node, RANGE, LEASE).identity().id();
						// We hold a reference: the identity must stay ours until
						// released.
						assertThat(this.store.find(id)).map(StoredIdentity::labelsKey).contains(labels);
						this.store.release(id, node);
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get(60, TimeUnit.SECONDS);
			}
			running.set(false);
			assertThat(collector.get(10, TimeUnit.SECONDS)).isPositive();
		}
		finally {
			running.set(false);
			pool.shutdownNow();
		}
	}

	@Test
	void expiredLeaseDropsReferencesAndRenewedLeaseKeepsThem() throws Exception {
		Duration shortLease = Duration.ofMillis(300);
		int web = this.store.allocate("k8s:app=web", "gone", RANGE, shortLease).identity().id();
		int db = this.store.allocate("k8s:app=db", "alive", RANGE, shortLease).identity().id();
		Thread.sleep(200);
		this.store.renewLease("alive", Duration.ofSeconds(60));
		Thread.sleep(200);
		assertThat(this.store.expireLeases()).isEqualTo(1);
		assertThat(this.store.unreferencedIds()).containsOnlyKeys(web);
		assertThat(this.store.release(db, "alive")).isEqualTo(ReleaseOutcome.RELEASED);
		assertThat(this.store.release(web, "gone")).isEqualTo(ReleaseOutcome.NOT_REFERENCED);
	}

	@Test
	void aLapsedLeaseIsReportedLostAlthoughAnAllocationGaveTheNodeALeaseFirst() throws Exception {
		// A node cut off past its lease (identity-service down, or a partition) whose
		// first
		// call afterwards is an allocation, not a heartbeat (found by
		// scripts/agent-drills.sh).
		Duration shortLease = Duration.ofMillis(300);
		this.store.allocate("k8s:app=web", "n1", RANGE, shortLease);
		Thread.sleep(400);
		assertThat(this.store.expireLeases()).isEqualTo(1);
		this.store.allocate("k8s:app=db", "n1", RANGE, LEASE);

		assertThat(this.store.renewLease("n1", LEASE)).as("the first renewal after the lapse").isFalse();
		assertThat(this.store.renewLease("n1", LEASE)).as("the renewal after that").isTrue();
	}

	@Test
	void freedNumbersAreReusedWhenTheRangeIsFull() {
		IdRange tiny = new IdRange(300, 301);
		int a = this.store.allocate("k8s:app=a", "n1", tiny, LEASE).identity().id();
		this.store.allocate("k8s:app=b", "n1", tiny, LEASE);
		assertThatThrownBy(() -> this.store.allocate("k8s:app=c", "n1", tiny, LEASE))
			.isInstanceOf(IdentityRangeExhaustedException.class);
		this.store.release(a, "n1");
		this.store.freeIfUnreferenced(this.store.unreferencedIds());
		StoredAllocation c = this.store.allocate("k8s:app=c", "n1", tiny, LEASE);
		assertThat(c.identity().id()).isEqualTo(a);
		assertThat(c.identity().revision()).isGreaterThan(this.store.snapshot().revision() - 1);
	}

	@Test
	void changesArePublishedInOrderToEveryListener() throws Exception {
		BlockingQueue<IdentityChange> changes = new LinkedBlockingQueue<>();
		this.store.addChangeListener(changes::add);
		waitUntilSubscribed(changes);
		StoredAllocation web = this.store.allocate("k8s:app=web", "n1", RANGE, LEASE);
		this.store.release(web.identity().id(), "n1");
		List<IdentityChange> freed = this.store.freeIfUnreferenced(this.store.unreferencedIds());
		assertThat(changes.poll(5, TimeUnit.SECONDS))
			.isEqualTo(new IdentityChange(IdentityChange.Kind.UPSERT, web.identity()));
		assertThat(changes.poll(5, TimeUnit.SECONDS)).isEqualTo(freed.get(0));
		assertThat(this.store.revision()).isEqualTo(freed.get(0).identity().revision());
	}

	@Test
	void allocationsSentTogetherShareScriptRunsAndStayExact() throws Exception {
		BlockingQueue<IdentityChange> changes = new LinkedBlockingQueue<>();
		this.store.addChangeListener(changes::add);
		waitUntilSubscribed(changes);
		// All sent before any answer: with two runs in flight the rest wait and go
		// together, each label set three times in a row (so within one run), from three
		// nodes.
		List<String> labelsOfCall = new ArrayList<>();
		List<CompletableFuture<StoredAllocation>> calls = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			String labels = "k8s:app=batch-" + (i / 3);
			labelsOfCall.add(labels);
			calls.add(this.store.allocateAsync(labels, "n" + (i % 3), RANGE, LEASE).toCompletableFuture());
		}
		Map<String, StoredIdentity> byLabels = new HashMap<>();
		int created = 0;
		for (int i = 0; i < calls.size(); i++) {
			StoredAllocation allocation = calls.get(i).get(30, TimeUnit.SECONDS);
			created += allocation.created() ? 1 : 0;
			StoredIdentity previous = byLabels.putIfAbsent(labelsOfCall.get(i), allocation.identity());
			if (previous != null) {
				assertThat(allocation.identity()).as("identity of %s", labelsOfCall.get(i)).isEqualTo(previous);
			}
		}
		assertThat(created).isEqualTo(100);
		assertThat(byLabels.values()).extracting(StoredIdentity::id).doesNotHaveDuplicates();
		assertThat(byLabels.values()).extracting(StoredIdentity::revision).doesNotHaveDuplicates();
		// Every identity is in the store as answered, and the feed told each exactly
		// once, in
		// revision order.
		for (StoredIdentity identity : byLabels.values()) {
			assertThat(this.store.find(identity.id())).contains(identity);
		}
		List<IdentityChange> published = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			published.add(changes.poll(5, TimeUnit.SECONDS));
		}
		assertThat(published).extracting(IdentityChange::identity)
			.containsExactlyInAnyOrderElementsOf(byLabels.values());
		assertThat(published).extracting((change) -> change.identity().revision()).isSorted();
		assertThat(changes.poll(200, TimeUnit.MILLISECONDS)).isNull();
		assertThat(this.store.revision()).isEqualTo(published.get(99).identity().revision());
		// Each node holds a reference to each identity it asked for, and numbering goes
		// on
		// after the highest number handed out.
		StoredIdentity first = byLabels.get("k8s:app=batch-0");
		for (String node : List.of("n0", "n1", "n2")) {
			assertThat(this.store.release(first.id(), node)).as("reference of %s", node)
				.isEqualTo(ReleaseOutcome.RELEASED);
		}
		int highest = byLabels.values().stream().mapToInt(StoredIdentity::id).max().orElseThrow();
		assertThat(this.store.allocate("k8s:app=after-batch", "n0", RANGE, LEASE).identity().id())
			.isEqualTo(highest + 1);
	}

	@Test
	void gcTurnIsHeldByOneReplicaUntilItLapses() throws Exception {
		assertThat(this.store.tryAcquireGcTurn("a", Duration.ofMillis(300))).isTrue();
		assertThat(this.store.tryAcquireGcTurn("b", Duration.ofMillis(300))).isFalse();
		assertThat(this.store.tryAcquireGcTurn("a", Duration.ofMillis(300))).isTrue();
		Thread.sleep(400);
		assertThat(this.store.tryAcquireGcTurn("b", Duration.ofMillis(300))).isTrue();
	}

	private void waitUntilSubscribed(BlockingQueue<IdentityChange> changes) throws InterruptedException {
		// Subscription is asynchronous: publish probes (allocations of a throwaway label)
		// until one arrives, then forget them.
		for (int i = 0; i < 100 && changes.isEmpty(); i++) {
			this.store.allocate("k8s:probe=p" + i, "probe", RANGE, LEASE);
			Thread.sleep(50);
		}
		Thread.sleep(100);
		changes.clear();
	}

}
