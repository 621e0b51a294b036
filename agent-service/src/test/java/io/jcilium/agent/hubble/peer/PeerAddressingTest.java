package io.jcilium.agent.hubble.peer;

import java.util.List;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.hubble.peer.ChangeNotification;
import io.jcilium.api.hubble.peer.ChangeNotificationType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CiliumNode as a peer, as upstream's peer service names and addresses it.
 */
class PeerAddressingTest {

	private final PeerAddressing plain = new PeerAddressing("default", 4244, false);

	@Test
	void theDefaultClusterNamesPeersByNodeNameOthersByClusterSlashNode() {
		assertThat(this.plain.name("kind-worker")).isEqualTo("kind-worker");
		assertThat(new PeerAddressing("prod.eu", 4244, false).name("kind-worker")).isEqualTo("prod.eu/kind-worker");
	}

	@Test
	void internalIpv4WinsOverExternalAndIpv6AndCiliumInternal() {
		CiliumNode node = node("n1", address("CiliumInternalIP", "10.0.1.1"), address("ExternalIP", "203.0.113.7"),
				address("InternalIP", "fd00::11"), address("InternalIP", "192.168.56.11"));
		assertThat(this.plain.notification(node, ChangeNotificationType.PEER_ADDED)).get()
			.extracting(ChangeNotification::getAddress)
			.isEqualTo("192.168.56.11:4244");
	}

	@Test
	void anIpv6OnlyNodeIsBracketedAndANodeWithoutAddressIsNoPeerYet() {
		assertThat(this.plain.notification(node("n6", address("InternalIP", "fd00::11")),
				ChangeNotificationType.PEER_ADDED))
			.get()
			.extracting(ChangeNotification::getAddress)
			.isEqualTo("[fd00::11]:4244");
		assertThat(this.plain.notification(node("n0", address("CiliumInternalIP", "10.0.1.1")),
				ChangeNotificationType.PEER_ADDED))
			.isEmpty();
	}

	@Test
	void withTlsThePeerCarriesUpstreamsServerName() {
		ChangeNotification notification = new PeerAddressing("tatooine.sw", 4244, true)
			.notification(node("moseisley.local", address("InternalIP", "192.168.56.11")),
					ChangeNotificationType.PEER_ADDED)
			.orElseThrow();
		assertThat(notification.getTls().getServerName())
			.isEqualTo("moseisley-local.tatooine-sw.hubble-grpc.cilium.io");
		assertThat(this.plain
			.notification(node("n1", address("InternalIP", "192.168.56.11")), ChangeNotificationType.PEER_ADDED)
			.orElseThrow()
			.hasTls()).isFalse();
	}

	private static CiliumNode node(String name, CiliumNode.NodeAddress... addresses) {
		CiliumNode node = new CiliumNode();
		node.setMetadata(new ObjectMetaBuilder().withName(name).build());
		node.setSpec(new CiliumNode.Spec());
		node.getSpec().addresses = List.of(addresses);
		return node;
	}

	private static CiliumNode.NodeAddress address(String type, String ip) {
		CiliumNode.NodeAddress address = new CiliumNode.NodeAddress();
		address.type = type;
		address.ip = ip;
		return address;
	}

}
