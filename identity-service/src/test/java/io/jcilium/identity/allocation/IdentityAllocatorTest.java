package io.jcilium.identity.allocation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.jcilium.common.label.LabelFilter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityAllocatorTest {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private final AtomicLong clock = new AtomicLong(1_000_000);

	private final InMemoryIdentityStore store = new InMemoryIdentityStore(this.clock::get);

	private final IdentityCache cache = new IdentityCache();

	private IdentityAllocator allocator = allocator(new IdRange(256, 65535));

	private final IdentityGarbageCollector collector = new IdentityGarbageCollector(this.store, this.cache,
			new AllocationMetrics(this.cache::size));

	private IdentityAllocator allocator(IdRange range) {
		return new IdentityAllocator(this.store, LabelFilter.defaults(), range, LEASE, this.cache,
				new AllocationMetrics(this.cache::size));
	}

	@Test
	void sameLabelsInAnyOrderGetTheSameIdentityFromTheStartOfTheRange() {
		Allocation first = this.allocator.allocate(List.of("k8s:app=web", "k8s:io.kubernetes.pod.namespace=prod"),
				"n1");
		Allocation second = this.allocator.allocate(List.of("k8s:io.kubernetes.pod.namespace=prod", "k8s:app=web"),
				"n2");
		assertThat(first.created()).isTrue();
		assertThat(second.created()).isFalse();
		assertThat(first.identity().id()).isEqualTo(256).isEqualTo(second.identity().id());
		assertThat(first.identity().labels()).containsExactly("k8s:app=web", "k8s:io.kubernetes.pod.namespace=prod");
		assertThat(this.store.referenceCount(256)).isEqualTo(2);
	}

	@Test
	void differentLabelsGetDifferentIdentities() {
		int web = this.allocator.allocate(List.of("k8s:app=web"), "n1").identity().id();
		int db = this.allocator.allocate(List.of("k8s:app=db"), "n1").identity().id();
		assertThat(web).isNotEqualTo(db);
	}

	@Test
	void rolloutNoiseDoesNotSplitAnIdentity() {
		int a = this.allocator.allocate(List.of("k8s:app=web", "k8s:pod-template-hash=abc"), "n1").identity().id();
		int b = this.allocator.allocate(List.of("k8s:app=web", "k8s:pod-template-hash=def"), "n1").identity().id();
		assertThat(a).isEqualTo(b);
		assertThat(this.allocator.lookup(a).labels()).containsExactly("k8s:app=web");
	}

	@Test
	void reservedLabelsAnswerFromTheTableWithoutAllocating() {
		Allocation host = this.allocator.allocate(List.of("reserved:host"), "n1");
		assertThat(host.identity()).isEqualTo(new Identity(1, List.of("reserved:host"), true));
		assertThat(host.created()).isFalse();
		assertThat(this.allocator.lookup(7).labels()).containsExactly("reserved:kube-apiserver");
		assertThat(this.allocator.lookupByLabels(List.of("reserved:world-ipv6")).id()).isEqualTo(10);
		assertThat(this.store.revision()).isZero();
		assertThat(this.allocator.release(1, "n1")).isFalse();
	}

	@Test
	void reservedSourceMixedWithOtherLabelsIsRejected() {
		assertThatThrownBy(() -> this.allocator.allocate(List.of("reserved:host", "k8s:app=web"), "n1"))
			.isInstanceOf(InvalidIdentityRequestException.class)
			.hasMessageContaining("reserved");
	}

	@Test
	void invalidRequestsNameTheProblem() {
		assertThatThrownBy(() -> this.allocator.allocate(List.of(), "n1"))
			.isInstanceOf(InvalidIdentityRequestException.class)
			.hasMessageContaining("labels must not be empty");
		assertThatThrownBy(() -> this.allocator.allocate(List.of("app=web"), "n1"))
			.isInstanceOf(InvalidIdentityRequestException.class)
			.hasMessageContaining("'app=web' is malformed")
			.hasMessageContaining("no source");
		assertThatThrownBy(() -> this.allocator.allocate(List.of("k8s:app=web;x"), "n1"))
			.hasMessageContaining("value 'web;x'");
		assertThatThrownBy(() -> this.allocator.allocate(List.of("gcp:app=web"), "n1"))
			.hasMessageContaining("source 'gcp'");
		assertThatThrownBy(() -> this.allocator.allocate(List.of("k8s:app=web", "k8s:app=db"), "n1"))
			.hasMessageContaining("two values");
		assertThatThrownBy(() -> this.allocator.allocate(List.of("k8s:pod-template-hash=x"), "n1"))
			.hasMessageContaining("no security-relevant label");
		assertThatThrownBy(() -> this.allocator.allocate(List.of("k8s:app=web"), " "))
			.hasMessageContaining("node must be set");
		assertThatThrownBy(() -> this.allocator.lookup(100)).isInstanceOf(InvalidIdentityRequestException.class)
			.hasMessageContaining("identity 100 is out of range");
		assertThatThrownBy(() -> this.allocator.lookup(0)).isInstanceOf(InvalidIdentityRequestException.class);
		assertThatThrownBy(() -> this.allocator.release(70000, "n1"))
			.isInstanceOf(InvalidIdentityRequestException.class);
	}

	@Test
	void unknownIdentitiesAreNotFound() {
		assertThatThrownBy(() -> this.allocator.lookup(300)).isInstanceOf(IdentityNotFoundException.class)
			.hasMessageContaining("identity 300 does not exist");
		assertThatThrownBy(() -> this.allocator.lookupByLabels(List.of("k8s:app=none")))
			.isInstanceOf(IdentityNotFoundException.class);
		assertThatThrownBy(() -> this.allocator.release(300, "n1")).isInstanceOf(IdentityNotFoundException.class);
	}

	@Test
	void releaseDropsOnlyTheNodesOwnReference() {
		int id = this.allocator.allocate(List.of("k8s:app=web"), "n1").identity().id();
		assertThat(this.allocator.release(id, "n2")).isFalse();
		assertThat(this.allocator.release(id, "n1")).isTrue();
		assertThat(this.allocator.release(id, "n1")).isFalse();
		assertThat(this.store.referenceCount(id)).isZero();
	}

	@Test
	void garbageCollectorFreesOnlyAfterTwoPassesWithoutReference() {
		int id = this.allocator.allocate(List.of("k8s:app=web"), "n1").identity().id();
		this.allocator.release(id, "n1");
		assertThat(this.collector.runPass().freed()).isZero();
		assertThat(this.allocator.lookup(id).labels()).containsExactly("k8s:app=web");
		assertThat(this.collector.runPass().freed()).isEqualTo(1);
		assertThatThrownBy(() -> this.allocator.lookup(id)).isInstanceOf(IdentityNotFoundException.class);
	}

	@Test
	void reAllocationBetweenPassesKeepsTheIdentity() {
		int id = this.allocator.allocate(List.of("k8s:app=web"), "n1").identity().id();
		this.allocator.release(id, "n1");
		this.collector.runPass();
		assertThat(this.allocator.allocate(List.of("k8s:app=web"), "n2").identity().id()).isEqualTo(id);
		this.collector.runPass();
		this.collector.runPass();
		assertThat(this.allocator.lookup(id).labels()).containsExactly("k8s:app=web");
	}

	@Test
	void identityUsedAndReleasedAgainBetweenPassesWaitsTwoMorePasses() {
		int id = this.allocator.allocate(List.of("k8s:app=web"), "n1").identity().id();
		this.allocator.release(id, "n1");
		this.collector.runPass();
		this.allocator.allocate(List.of("k8s:app=web"), "n1");
		this.allocator.release(id, "n1");
		assertThat(this.collector.runPass().freed()).isZero();
		assertThat(this.collector.runPass().freed()).isEqualTo(1);
	}

	@Test
	void expiredLeaseDropsTheNodesReferencesAndHeartbeatKeepsThem() {
		int web = this.allocator.allocate(List.of("k8s:app=web"), "n1").identity().id();
		int db = this.allocator.allocate(List.of("k8s:app=db"), "n2").identity().id();
		this.clock.addAndGet(LEASE.toMillis() - 1000);
		this.allocator.heartbeat("n2");
		this.clock.addAndGet(2000);
		IdentityGarbageCollector.Pass pass = this.collector.runPass();
		assertThat(pass.referencesExpired()).isEqualTo(1);
		assertThat(this.store.referenceCount(web)).isZero();
		assertThat(this.store.referenceCount(db)).isEqualTo(1);
		this.collector.runPass();
		assertThatThrownBy(() -> this.allocator.lookup(web)).isInstanceOf(IdentityNotFoundException.class);
		assertThat(this.allocator.lookup(db).id()).isEqualTo(db);
	}

	@Test
	void freedNumbersAreReusedOnceTheRangeIsUsedUp() {
		this.allocator = allocator(new IdRange(256, 257));
		int a = this.allocator.allocate(List.of("k8s:app=a"), "n1").identity().id();
		this.allocator.allocate(List.of("k8s:app=b"), "n1");
		assertThatThrownBy(() -> this.allocator.allocate(List.of("k8s:app=c"), "n1"))
			.isInstanceOf(IdentityRangeExhaustedException.class)
			.hasMessageContaining("256-257");
		this.allocator.release(a, "n1");
		this.collector.runPass();
		this.collector.runPass();
		Allocation c = this.allocator.allocate(List.of("k8s:app=c"), "n1");
		assertThat(c.identity().id()).isEqualTo(a);
		assertThat(this.allocator.lookup(a).labels()).containsExactly("k8s:app=c");
	}

	@Test
	void watchSendsSnapshotThenSyncedThenChanges() throws Exception {
		this.allocator.start();
		int web = this.allocator.allocate(List.of("k8s:app=web"), "n1").identity().id();
		this.allocator.synchroniseCache();
		List<WatchEvent> events = new ArrayList<>();
		try (AutoCloseable watch = this.allocator.watch(events::add)) {
			int db = this.allocator.allocate(List.of("k8s:app=db"), "n1").identity().id();
			this.allocator.release(web, "n1");
			this.collector.runPass();
			this.collector.runPass();
			assertThat(events).hasSize(ReservedIdentities.all().size() + 4);
			List<WatchEvent> tail = events.subList(ReservedIdentities.all().size(), events.size());
			assertThat(tail).containsExactly(new WatchEvent(WatchEvent.Kind.UPSERT, identity(web, "k8s:app=web")),
					WatchEvent.SYNCED, new WatchEvent(WatchEvent.Kind.UPSERT, identity(db, "k8s:app=db")),
					new WatchEvent(WatchEvent.Kind.DELETE, identity(web, "k8s:app=web")));
		}
	}

	@Test
	void listShowsReservedThenAllocatedByNumber() {
		this.allocator.allocate(List.of("k8s:app=b"), "n1");
		this.allocator.allocate(List.of("k8s:app=a"), "n1");
		List<Identity> list = this.allocator.list();
		assertThat(list).hasSize(12);
		assertThat(list.get(0).id()).isEqualTo(1);
		assertThat(list.subList(10, 12)).extracting(Identity::id).containsExactly(256, 257);
	}

	private static Identity identity(int id, String label) {
		return new Identity(id, List.of(label), false);
	}

}
