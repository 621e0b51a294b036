package io.jcilium.agent.ipcache;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jcilium.common.net.Cidr;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.k8s.Recorders.RecordingIpcache;

import static org.assertj.core.api.Assertions.assertThat;

class IpcacheSyncTest {

	private final RecordingIpcache ipcache = new RecordingIpcache();

	private final IpcacheSync sync = new IpcacheSync(() -> this.ipcache);

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
		IpcacheSync sync = new IpcacheSync(() -> failing);

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
