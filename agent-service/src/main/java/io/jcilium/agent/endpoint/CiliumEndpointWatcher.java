package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.jcilium.api.crd.v2.CiliumEndpoint;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.net.Cidr;
import io.jcilium.agent.k8s.LevelTriggered;
import io.jcilium.agent.k8s.Addresses;
import io.jcilium.agent.ipcache.IpcacheSync;

/**
 * Other nodes' pods into the ipcache: each CiliumEndpoint maps its pod's addresses to its
 * security identity, tunnelled to the node in {@code status.networking.node}. This node's
 * own endpoints are skipped (the endpoint cell writes those), and so is an endpoint
 * without an identity yet.
 */
final class CiliumEndpointWatcher {

	private final IpcacheSync ipcache;

	private final BiPredicate<String, String> isLocalPod;

	private final Supplier<List<String>> localAddresses;

	/**
	 * @param ipcache the ipcache feed
	 * @param isLocalPod whether a pod (namespace, name) runs on this node
	 * @param localAddresses this node's addresses
	 */
	CiliumEndpointWatcher(IpcacheSync ipcache, BiPredicate<String, String> isLocalPod,
			Supplier<List<String>> localAddresses) {
		this.ipcache = ipcache;
		this.isLocalPod = isLocalPod;
		this.localAddresses = localAddresses;
	}

	ResourceEventHandler<CiliumEndpoint> handler() {
		return LevelTriggered.handler(this::sync, (endpoint) -> this.ipcache.sync(owner(endpoint), Map.of()));
	}

	private void sync(CiliumEndpoint endpoint) {
		this.ipcache.sync(owner(endpoint), isRemote(endpoint) ? entries(endpoint.getStatus()) : Map.of());
	}

	private boolean isRemote(CiliumEndpoint endpoint) {
		CiliumEndpoint.Status status = endpoint.getStatus();
		if (status == null || status.networking == null) {
			return false;
		}
		if (this.isLocalPod.test(endpoint.getMetadata().getNamespace(), endpoint.getMetadata().getName())) {
			return false;
		}
		return status.networking.node == null || !this.localAddresses.get().contains(status.networking.node);
	}

	private static Map<Cidr, IpcacheSync.Entry> entries(CiliumEndpoint.Status status) {
		Map<Cidr, IpcacheSync.Entry> entries = new HashMap<>();
		if (status.identity == null || status.identity.id == null || status.identity.id <= 0
				|| status.networking.addressing == null) {
			return entries;
		}
		InetAddress node = Addresses.address(status.networking.node);
		for (CiliumNode.AddressPair pair : status.networking.addressing) {
			for (String ip : new String[] { pair.ipv4, pair.ipv6 }) {
				Cidr prefix = Addresses.hostPrefix(ip);
				if (prefix != null) {
					entries.put(prefix, new IpcacheSync.Entry(status.identity.id, node));
				}
			}
		}
		return entries;
	}

	private static String owner(CiliumEndpoint endpoint) {
		return "cep/" + endpoint.getMetadata().getNamespace() + "/" + endpoint.getMetadata().getName();
	}

}
