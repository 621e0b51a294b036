package io.jcilium.agent.hubble.peer;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.hubble.peer.ChangeNotification;
import io.jcilium.api.hubble.peer.ChangeNotificationType;
import io.jcilium.api.hubble.peer.TLS;
import io.jcilium.api.tls.node.SubjectAlternativeNames;

/**
 * What a relay needs to reach a node's Hubble API, as upstream's peer service states it:
 * the node's name ({@code cluster/node} outside the {@code default} cluster), its address
 * (the node IP, InternalIP before ExternalIP, IPv4 before IPv6, with the Hubble port)
 * and, when the agents serve TLS, the name to verify the certificate against
 * ({@code <node>.<cluster>.hubble-grpc.cilium.io}, dots replaced by hyphens).
 *
 * @param clusterName the cluster's name
 * @param hubblePort the port every agent serves Hubble on
 * @param tls whether agents serve TLS, so notifications carry a server name
 */
record PeerAddressing(String clusterName, int hubblePort, boolean tls) {

	static final String DEFAULT_CLUSTER = "default";

	private static final List<String> ADDRESS_TYPES = List.of("InternalIP", "ExternalIP");

	/**
	 * The node as a peer.
	 * @param node the CiliumNode
	 * @param type what happened to it
	 * @return the notification, empty while the node has no address to reach it at
	 */
	Optional<ChangeNotification> notification(CiliumNode node, ChangeNotificationType type) {
		return address(node).map((address) -> {
			ChangeNotification.Builder notification = ChangeNotification.newBuilder()
				.setName(name(node.getMetadata().getName()))
				.setAddress(address)
				.setType(type);
			if (this.tls) {
				notification.setTls(TLS.newBuilder().setServerName(serverName(node.getMetadata().getName())));
			}
			return notification.build();
		});
	}

	String name(String nodeName) {
		return DEFAULT_CLUSTER.equals(this.clusterName) ? nodeName : this.clusterName + "/" + nodeName;
	}

	String serverName(String nodeName) {
		// The name the node's own certificate carries.
		return SubjectAlternativeNames.hubbleServerName(nodeName, this.clusterName);
	}

	private Optional<String> address(CiliumNode node) {
		if (node.getSpec() == null || node.getSpec().addresses == null) {
			return Optional.empty();
		}
		return node.getSpec().addresses.stream()
			.filter((address) -> address.ip != null && !address.ip.isBlank())
			.filter((address) -> ADDRESS_TYPES.contains(address.type))
			.min(Comparator.comparingInt((CiliumNode.NodeAddress address) -> ADDRESS_TYPES.indexOf(address.type))
				.thenComparingInt((address) -> address.ip.contains(":") ? 1 : 0))
			.map((address) -> hostPort(address.ip.trim()));
	}

	private String hostPort(String ip) {
		return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + this.hubblePort;
	}

}
