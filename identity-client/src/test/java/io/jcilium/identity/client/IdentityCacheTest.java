package io.jcilium.identity.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityCacheTest {

	private static final Labels WEB = Labels.parse(List.of("k8s:app=web"));

	private static final Labels DB = Labels.parse(List.of("k8s:app=db"));

	private static final Labels CACHE = Labels.parse(List.of("k8s:app=cache"));

	private final IdentityCache cache = new IdentityCache();

	private final RecordingListener events = new RecordingListener();

	@Test
	void snapshotIsAnnouncedWhenCompleteThenChangesAsTheyCome() throws InterruptedException {
		this.cache.addListener(this.events);
		this.cache.snapshotStarted();
		this.cache.upsert(300, WEB);
		this.cache.upsert(256, DB);
		assertThat(this.events.seen).isEmpty();
		assertThat(this.cache.awaitSynced(Duration.ofMillis(10))).isFalse();
		this.cache.snapshotEnded();
		assertThat(this.cache.awaitSynced(Duration.ofMillis(10))).isTrue();
		this.cache.upsert(301, CACHE);
		this.cache.delete(300);
		this.cache.delete(999);
		assertThat(this.events.seen).containsExactly("upsert 256 k8s:app=db", "upsert 300 k8s:app=web",
				"upsert 301 k8s:app=cache", "delete 300");
		assertThat(this.cache.find(301)).contains(CACHE);
		assertThat(this.cache.find(300)).isEmpty();
		assertThat(this.cache.findByLabels(DB)).hasValue(256);
		assertThat(this.cache.findByLabels(WEB)).isEmpty();
	}

	@Test
	void newSnapshotReplacesTheContentAndMissingIdsBecomeDeletes() {
		this.cache.snapshotStarted();
		this.cache.upsert(256, WEB);
		this.cache.upsert(257, DB);
		this.cache.upsert(258, CACHE);
		this.cache.snapshotEnded();
		this.cache.addListener(this.events);
		this.events.seen.clear();

		this.cache.streamLost();
		assertThat(this.cache.isSynced()).isFalse();
		// Still answered while the stream is down.
		assertThat(this.cache.find(257)).contains(DB);
		this.cache.snapshotStarted();
		this.cache.upsert(256, WEB);
		this.cache.upsert(258, DB);
		this.cache.upsert(400, CACHE);
		// Old content keeps answering until the new snapshot is complete.
		assertThat(this.cache.find(257)).contains(DB);
		this.cache.snapshotEnded();

		// 256 unchanged: no event; 257 gone; 258 changed labels; 400 new. Deletes first.
		assertThat(this.events.seen).containsExactly("delete 257", "upsert 258 k8s:app=db", "upsert 400 k8s:app=cache");
		assertThat(this.cache.identities()).isEqualTo(Map.of(256L, WEB, 258L, DB, 400L, CACHE));
		assertThat(this.cache.findByLabels(DB)).hasValue(258);
		assertThat(this.cache.findByLabels(CACHE)).hasValue(400);
		assertThat(this.cache.snapshots()).isEqualTo(2);
	}

	@Test
	void cacheCountsAsSyncedOnlyOnceListenersHaveTheSnapshot() {
		List<Boolean> syncedWhenTold = new ArrayList<>();
		this.cache.addListener(new IdentityListener() {

			@Override
			public void upsert(long id, Labels labels) {
				syncedWhenTold.add(IdentityCacheTest.this.cache.isSynced());
			}

			@Override
			public void delete(long id) {
			}

		});
		this.cache.snapshotStarted();
		this.cache.upsert(256, WEB);
		this.cache.snapshotEnded();
		assertThat(syncedWhenTold).containsExactly(false);
		assertThat(this.cache.isSynced()).isTrue();
	}

	@Test
	void streamLostWhileTheSnapshotIsAnnouncedLeavesTheCacheUnsynced() {
		this.cache.addListener(new IdentityListener() {

			@Override
			public void upsert(long id, Labels labels) {
				IdentityCacheTest.this.cache.streamLost();
			}

			@Override
			public void delete(long id) {
			}

		});
		this.cache.snapshotStarted();
		this.cache.upsert(256, WEB);
		this.cache.snapshotEnded();
		assertThat(this.cache.isSynced()).isFalse();
		assertThat(this.cache.find(256)).contains(WEB);
	}

	@Test
	void deleteDuringSnapshotDropsThePendingEntry() {
		this.cache.addListener(this.events);
		this.cache.snapshotStarted();
		this.cache.upsert(256, WEB);
		this.cache.delete(256);
		this.cache.snapshotEnded();
		assertThat(this.events.seen).isEmpty();
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void reservedIdentitiesAreAnsweredLocallyAndNeverAnnounced() {
		this.cache.addListener(this.events);
		this.cache.snapshotStarted();
		this.cache.upsert(1, ReservedIdentity.HOST.labels());
		this.cache.snapshotEnded();
		assertThat(this.events.seen).isEmpty();
		assertThat(this.cache.find(ReservedIdentity.KUBE_APISERVER.id()))
			.contains(Labels.parse(List.of("reserved:kube-apiserver")));
		assertThat(this.cache.findByLabels(ReservedIdentity.WORLD.labels())).hasValue(2);
	}

	@Test
	void lateListenerFirstGetsTheCurrentContentAndFailingListenerDoesNotStopOthers() {
		this.cache.addListener(new IdentityListener() {

			@Override
			public void upsert(long id, Labels labels) {
				throw new IllegalStateException("listener broken");
			}

			@Override
			public void delete(long id) {
				throw new IllegalStateException("listener broken");
			}

		});
		this.cache.snapshotStarted();
		this.cache.upsert(256, WEB);
		this.cache.snapshotEnded();
		this.cache.addListener(this.events);
		this.cache.upsert(257, DB);
		assertThat(this.events.seen).containsExactly("upsert 256 k8s:app=web", "upsert 257 k8s:app=db");
	}

	static final class RecordingListener implements IdentityListener {

		final List<String> seen = new ArrayList<>();

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
