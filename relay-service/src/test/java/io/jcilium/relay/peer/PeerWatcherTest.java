package io.jcilium.relay.peer;

import java.time.Duration;

import io.grpc.inprocess.InProcessChannelBuilder;
import io.jcilium.api.hubble.peer.ChangeNotification;
import io.jcilium.api.hubble.peer.ChangeNotificationType;
import io.jcilium.api.hubble.peer.TLS;
import io.jcilium.relay.pool.PeerConnection;
import io.jcilium.relay.pool.PeerPool;
import io.jcilium.relay.pool.PoolSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notifications become the pool's peers; addresses without a port get the Hubble port, as
 * upstream's agents announce the node IP alone.
 */
class PeerWatcherTest {

	private final PeerPool pool = new PeerPool((peer) -> InProcessChannelBuilder.forName(peer.name()).build(),
			new PoolSettings(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(1)));

	private final PeerWatcher watcher = new PeerWatcher(null, this.pool, 4244);

	@AfterEach
	void close() {
		this.pool.close();
	}

	@Test
	void addedUpdatedAndDeletedPeersReachThePool() {
		this.watcher.apply(notification("node-1", "192.168.56.11", ChangeNotificationType.PEER_ADDED));
		this.watcher.apply(notification("node-2", "192.168.56.12:4244", ChangeNotificationType.PEER_ADDED));
		this.watcher.apply(notification("node-3", "fd00::13", ChangeNotificationType.PEER_ADDED));
		assertThat(this.pool.list()).extracting((connection) -> connection.peer().address())
			.containsExactly("192.168.56.11:4244", "192.168.56.12:4244", "[fd00::13]:4244");

		this.watcher.apply(notification("node-2", "192.168.56.22:4244", ChangeNotificationType.PEER_UPDATED).toBuilder()
			.setTls(TLS.newBuilder().setServerName("node-2.default.hubble-grpc.cilium.io"))
			.build());
		this.watcher.apply(notification("node-3", "fd00::13", ChangeNotificationType.PEER_DELETED));

		assertThat(this.pool.list()).extracting(PeerConnection::peer)
			.extracting((peer) -> peer.name() + "@" + peer.address() + "/" + peer.tlsServerName())
			.containsExactly("node-1@192.168.56.11:4244/",
					"node-2@192.168.56.22:4244/node-2.default.hubble-grpc.cilium.io");
	}

	@Test
	void aPeerWithoutAddressIsIgnored() {
		this.watcher.apply(notification("node-1", "", ChangeNotificationType.PEER_ADDED));
		assertThat(this.pool.list()).isEmpty();
	}

	@Test
	void bracketedAddressesKeepOrGetTheirPort() {
		assertThat(PeerAddresses.withPort("[fd00::1]:4250", 4244)).isEqualTo("[fd00::1]:4250");
		assertThat(PeerAddresses.withPort("[fd00::1]", 4244)).isEqualTo("[fd00::1]:4244");
		assertThat(PeerAddresses.withPort("kind-worker", 4244)).isEqualTo("kind-worker:4244");
	}

	private static ChangeNotification notification(String name, String address, ChangeNotificationType type) {
		return ChangeNotification.newBuilder().setName(name).setAddress(address).setType(type).build();
	}

}
