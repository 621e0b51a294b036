package io.jcilium.identity.allocation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.jcilium.common.label.LabelFilter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery from a store that lost its data or a node whose lease expired, against the
 * in-memory store: numbers in use keep their labels, nodes learn their lease was lost and
 * register what they hold again.
 */
class StoreRecoveryTest {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final List<String> WEB = List.of("k8s:app=web");

	private static final List<String> DB = List.of("k8s:app=db");

	private final AtomicLong clock = new AtomicLong(1_000_000);

	private final InMemoryIdentityStore store = new InMemoryIdentityStore(this.clock::get);

	private final IdentityCache cache = new IdentityCache();

	private final IdentityAllocator allocator = new IdentityAllocator(this.store, LabelFilter.defaults(),
			new IdRange(256, 65535), LEASE, this.cache, new AllocationMetrics(this.cache::size));

	private final IdentityGarbageCollector collector = new IdentityGarbageCollector(this.store, this.cache,
			new AllocationMetrics(this.cache::size));

	@Test
	void afterAWipeNumbersInUseKeepTheirLabelsAndNewLabelsGetOtherNumbers() {
		int web = this.allocator.allocate(WEB, "n1").identity().id();
		int db = this.allocator.allocate(DB, "n2").identity().id();
		this.allocator.synchroniseCache();

		this.store.wipe();
		int api = this.allocator.allocate(List.of("k8s:app=api"), "n3").identity().id();

		assertThat(api).isNotIn(web, db);
		assertThat(this.store.find(web)).map(IdentityStore.StoredIdentity::labelsKey).contains("k8s:app=web");
		assertThat(this.store.find(db)).map(IdentityStore.StoredIdentity::labelsKey).contains("k8s:app=db");
		assertThat(this.store.epoch()).isPresent().get().isNotEqualTo("initial");
	}

	@Test
	void afterAWipeHeartbeatsReportTheLeaseLostAndRegisteredIdentitiesOutliveTheGc() {
		int web = this.allocator.allocate(WEB, "n1").identity().id();
		int db = this.allocator.allocate(DB, "n2").identity().id();
		this.allocator.synchroniseCache();
		assertThat(this.allocator.heartbeat("n1").leaseLost()).isFalse();

		this.store.wipe();
		this.allocator.synchroniseCache();
		assertThat(this.allocator.heartbeat("n1").leaseLost()).isTrue();
		assertThat(this.allocator.register(List.of(new Identity(web, WEB, false)), "n1"))
			.containsExactly(new Identity(web, WEB, false));
		assertThat(this.allocator.heartbeat("n1").leaseLost()).isFalse();

		this.collector.runPass();
		this.collector.runPass();
		assertThat(this.store.find(web)).isPresent();
		// Nobody registered db again: the GC frees it after its two passes.
		assertThat(this.store.find(db)).isEmpty();
		assertThat(this.store.referenceCount(web)).isEqualTo(1);
	}

	@Test
	void aNodeWhoseLeaseExpiredGetsItsFreedNumberBackWhenItRegisters() {
		int web = this.allocator.allocate(WEB, "n1").identity().id();
		this.clock.addAndGet(LEASE.toMillis() + 1000);
		this.collector.runPass();
		this.collector.runPass();
		assertThat(this.store.find(web)).isEmpty();

		assertThat(this.allocator.heartbeat("n1").leaseLost()).isTrue();
		assertThat(this.allocator.register(List.of(new Identity(web, WEB, false)), "n1"))
			.containsExactly(new Identity(web, WEB, false));
		assertThat(this.store.find(web)).map(IdentityStore.StoredIdentity::labelsKey).contains("k8s:app=web");
		assertThat(this.store.referenceCount(web)).isEqualTo(1);
	}

	@Test
	void aHeldNumberThatWentToOtherLabelsIsNotTakenBackTheLabelsGetAnotherNumber() {
		int web = this.allocator.allocate(WEB, "n1").identity().id();
		this.clock.addAndGet(LEASE.toMillis() + 1000);
		this.collector.runPass();
		this.collector.runPass();
		this.store.wipe();
		this.store.seed("fresh", List.of());
		int db = this.allocator.allocate(DB, "n2").identity().id();
		assertThat(db).isEqualTo(web);

		List<Identity> registered = this.allocator.register(List.of(new Identity(web, WEB, false)), "n1");

		assertThat(registered.get(0).id()).isNotEqualTo(web);
		assertThat(registered.get(0).labels()).isEqualTo(WEB);
		assertThat(this.store.find(web)).map(IdentityStore.StoredIdentity::labelsKey).contains("k8s:app=db");
	}

}
