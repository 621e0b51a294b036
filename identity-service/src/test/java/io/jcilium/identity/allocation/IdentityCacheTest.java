package io.jcilium.identity.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jcilium.identity.allocation.IdentityStore.IdentityChange;
import io.jcilium.identity.allocation.IdentityStore.StoreSnapshot;
import io.jcilium.identity.allocation.IdentityStore.StoredIdentity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityCacheTest {

	private final IdentityCache cache = new IdentityCache();

	@Test
	void olderSnapshotDoesNotResurrectAnIdentityDeletedAfterIt() {
		this.cache.apply(upsert(300, "k8s:app=web", 5));
		this.cache.apply(delete(300, "k8s:app=web", 7));
		this.cache.reconcile(new StoreSnapshot(6, List.of(new StoredIdentity(300, "k8s:app=web", 5))));
		assertThat(this.cache.find(300)).isNull();
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void snapshotDeletesWhatItNoLongerHasButKeepsNewerEntries() {
		this.cache.apply(upsert(300, "k8s:app=web", 5));
		this.cache.apply(upsert(301, "k8s:app=db", 9));
		this.cache.reconcile(new StoreSnapshot(8, List.of(new StoredIdentity(302, "k8s:app=api", 8))));
		assertThat(this.cache.find(300)).isNull();
		assertThat(this.cache.find(301)).isNotNull();
		assertThat(this.cache.findByLabels("k8s:app=api").id()).isEqualTo(302);
		assertThat(this.cache.size()).isEqualTo(2);
	}

	@Test
	void reusedNumberWithMissedDeleteIsReportedAsDeleteThenUpsert() throws Exception {
		this.cache.apply(upsert(300, "k8s:app=web", 5));
		List<WatchEvent> events = new ArrayList<>();
		try (AutoCloseable watch = this.cache.watch(events::add)) {
			events.clear();
			this.cache.apply(upsert(300, "k8s:app=db", 12));
		}
		assertThat(events).extracting(WatchEvent::kind).containsExactly(WatchEvent.Kind.DELETE, WatchEvent.Kind.UPSERT);
		assertThat(this.cache.findByLabels("k8s:app=web")).isNull();
		assertThat(this.cache.find(300).labels()).containsExactly("k8s:app=db");
	}

	@Test
	void syncedIsSentOnceAfterTheFirstSnapshot() throws Exception {
		List<WatchEvent> events = new ArrayList<>();
		try (AutoCloseable watch = this.cache.watch(events::add)) {
			assertThat(events).noneMatch((event) -> event.kind() == WatchEvent.Kind.SYNCED);
			this.cache.reconcile(new StoreSnapshot(0, List.of()));
			this.cache.reconcile(new StoreSnapshot(0, List.of()));
		}
		assertThat(events).filteredOn((event) -> event.kind() == WatchEvent.Kind.SYNCED).hasSize(1);
	}

	@Test
	void failingWatcherIsDroppedWithoutDisturbingOthers() {
		List<WatchEvent> events = new ArrayList<>();
		AtomicBoolean gone = new AtomicBoolean();
		this.cache.watch((event) -> {
			if (gone.get()) {
				throw new IllegalStateException("stream gone");
			}
		});
		this.cache.watch(events::add);
		gone.set(true);
		this.cache.apply(upsert(300, "k8s:app=web", 1));
		assertThat(this.cache.watcherCount()).isEqualTo(1);
		assertThat(events).last().extracting(WatchEvent::kind).isEqualTo(WatchEvent.Kind.UPSERT);
	}

	@Test
	void watcherGoneDuringItsSnapshotIsNotRegistered() throws Exception {
		this.cache.watch((event) -> {
			throw new IllegalStateException("stream gone");
		}).close();
		assertThat(this.cache.watcherCount()).isZero();
	}

	private static IdentityChange upsert(int id, String labels, long revision) {
		return new IdentityChange(IdentityChange.Kind.UPSERT, new StoredIdentity(id, labels, revision));
	}

	private static IdentityChange delete(int id, String labels, long revision) {
		return new IdentityChange(IdentityChange.Kind.DELETE, new StoredIdentity(id, labels, revision));
	}

}
