package io.jcilium.agent.ipcache;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jcilium.common.net.Cidr;
import io.jcilium.jobs.JobStatus;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.k8s.Recorders.RecordingIpcache;

import static org.assertj.core.api.Assertions.assertThat;

class IpcacheSyncTest {

	private final RecordingIpcache ipcache = new RecordingIpcache();

	private final Jobs jobs = new Jobs("test", 1);

	private final IpcacheSync sync = new IpcacheSync(() -> this.ipcache, this.jobs);

	/** For a feed over a failing ipcache: its retry job is named as the other one's. */
	private final Jobs failingJobs = new Jobs("test-failing", 1);

	@AfterEach
	void stopJobs() {
		this.jobs.close();
		this.failingJobs.close();
	}

	@Test
	void onlyDifferencesReachTheIpcache() throws Exception {
		InetAddress node = InetAddress.getByName("192.168.0.2");
		this.sync.sync("node/b",
				Map.of(Cidr.parse("10.0.2.0/24"), entry(2, node), Cidr.parse("192.168.0.2"), entry(6, null)));
		this.sync.sync("node/b",
				Map.of(Cidr.parse("10.0.2.0/24"), entry(2, node), Cidr.parse("192.168.0.2"), entry(6, null)));
		this.sync.sync("node/b",
				Map.of(Cidr.parse("10.0.3.0/24"), entry(2, node), Cidr.parse("192.168.0.2"), entry(6, null)));
		assertThat(this.ipcache.calls()).containsExactlyInAnyOrder("upsert 10.0.2.0/24 2 via 192.168.0.2",
				"upsert 192.168.0.2/32 6", "remove 10.0.2.0/24", "upsert 10.0.3.0/24 2 via 192.168.0.2");
	}

	@Test
	void prefixClaimedTwiceIsRemovedOnlyWhenBothLetGo() {
		Cidr ip = Cidr.parse("10.0.2.15");
		this.sync.sync("cep/ns/old", Map.of(ip, entry(100, null)));
		this.sync.sync("cep/ns/new", Map.of(ip, entry(200, null)));
		assertThat(this.ipcache.get("10.0.2.15")).isEqualTo("200");
		this.sync.sync("cep/ns/new", Map.of());
		assertThat(this.ipcache.get("10.0.2.15")).as("the older claim takes over again").isEqualTo("100");
		this.sync.sync("cep/ns/old", Map.of());
		assertThat(this.ipcache.has("10.0.2.15")).isFalse();
	}

	@Test
	void aPolicyPrefixNeverTakesANodesOrAPodsAddressAwayWhicheverCameFirst() {
		Cidr node = Cidr.parse("192.168.0.2");
		Cidr pod = Cidr.parse("10.0.2.15");
		this.sync.sync("node/b", Map.of(node, entry(6, null)));
		this.sync.syncFallback("policy/cidr", Map.of(node, entry(16777217, null), pod, entry(16777218, null)));
		assertThat(this.ipcache.get("192.168.0.2")).as("remote-node stays").isEqualTo("6");
		assertThat(this.ipcache.get("10.0.2.15")).as("nobody else claims it yet").isEqualTo("16777218");
		this.sync.sync("cep/ns/web", Map.of(pod, entry(300, null)));
		assertThat(this.ipcache.get("10.0.2.15")).as("the pod's identity, not the CIDR's").isEqualTo("300");
		this.sync.syncFallback("policy/cidr", Map.of(node, entry(16777217, null), pod, entry(16777219, null)));
		assertThat(this.ipcache.get("10.0.2.15")).as("a later policy claim still yields").isEqualTo("300");
		this.sync.sync("cep/ns/web", Map.of());
		assertThat(this.ipcache.get("10.0.2.15")).as("the CIDR identity once the pod is gone").isEqualTo("16777219");
	}

	@Test
	void aFailedWriteIsRetriedWithBackoffUntilItGoesThroughWithoutAnotherSync() throws Exception {
		Cidr pod = Cidr.parse("10.0.2.15");
		Semaphore refused = new Semaphore(0);
		AtomicBoolean mapFull = new AtomicBoolean(true);
		CountDownLatch written = new CountDownLatch(1);
		IpcacheUpdates failing = new IpcacheUpdates() {

			@Override
			public void upsert(Cidr prefix, long identity, InetAddress tunnelEndpoint) {
				if (mapFull.get()) {
					refused.release();
					throw new IllegalStateException("update of map ipcache failed: No space left on device");
				}
				IpcacheSyncTest.this.ipcache.upsert(prefix, identity, tunnelEndpoint);
				written.countDown();
			}

			@Override
			public void remove(Cidr prefix) {
				IpcacheSyncTest.this.ipcache.remove(prefix);
			}

		};
		IpcacheSync sync = new IpcacheSync(() -> failing, this.failingJobs);

		sync.sync("cep/ns/a", Map.of(pod, entry(100, null)));
		// the sync's write, the retry's, and one more: the job backed off and tried again
		assertThat(refused.tryAcquire(3, 30, TimeUnit.SECONDS)).isTrue();
		JobStatus retry = this.failingJobs.job(IpcacheSync.RETRY_JOB).orElseThrow().status();
		assertThat(retry.failuresInARow()).isPositive();
		assertThat(retry.lastError()).hasValueSatisfying((error) -> assertThat(error)
			.contains("10.0.2.15/32 (update of map ipcache failed: No space left on device)"));
		assertThat(sync.failedWrites()).isOne();

		mapFull.set(false);
		assertThat(written.await(30, TimeUnit.SECONDS)).as("written by the retry job, no sync since").isTrue();
		assertThat(this.ipcache.get("10.0.2.15")).isEqualTo("100");
		assertThat(sync.failedWrites()).isZero();
	}

	@Test
	void aFailedWriteIsNotTakenForWrittenAndIsWrittenAgainAtTheNextSync() {
		AtomicBoolean mapFull = new AtomicBoolean(true);
		IpcacheUpdates failing = new IpcacheUpdates() {

			@Override
			public void upsert(Cidr prefix, long identity, InetAddress tunnelEndpoint) {
				if (mapFull.get() && prefix.equals(Cidr.parse("10.0.2.15"))) {
					throw new IllegalStateException("update of map ipcache failed: No space left on device");
				}
				IpcacheSyncTest.this.ipcache.upsert(prefix, identity, tunnelEndpoint);
			}

			@Override
			public void remove(Cidr prefix) {
				IpcacheSyncTest.this.ipcache.remove(prefix);
			}

		};
		IpcacheSync sync = new IpcacheSync(() -> failing, this.failingJobs);

		sync.sync("cep/ns/a",
				Map.of(Cidr.parse("10.0.2.15"), entry(100, null), Cidr.parse("10.0.2.16"), entry(101, null)));
		assertThat(this.ipcache.has("10.0.2.15")).isFalse();
		assertThat(this.ipcache.get("10.0.2.16")).as("one failure does not stop the other writes").isEqualTo("101");
		assertThat(sync.failedWrites()).isOne();

		mapFull.set(false);
		// the same owner again (an informer resync): nothing changed for it, yet the
		// failed prefix is written now
		sync.sync("cep/ns/a",
				Map.of(Cidr.parse("10.0.2.15"), entry(100, null), Cidr.parse("10.0.2.16"), entry(101, null)));
		assertThat(this.ipcache.get("10.0.2.15")).isEqualTo("100");
		assertThat(sync.failedWrites()).isZero();
	}

	private static IpcacheSync.Entry entry(long identity, InetAddress tunnel) {
		return new IpcacheSync.Entry(identity, tunnel);
	}

}
