package io.jcilium.agent.ipcache;

import java.net.InetAddress;
import java.util.Map;

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

	private static IpcacheSync.Entry entry(long identity, InetAddress tunnel) {
		return new IpcacheSync.Entry(identity, tunnel);
	}

}
