package io.jcilium.agent.node;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.net.Cidr;
import io.jcilium.agent.k8s.LevelTriggered;
import io.jcilium.agent.k8s.Addresses;
import io.jcilium.agent.ipcache.IpcacheSync;

/**
 * Nodes into the ipcache, as upstream's node manager does: other nodes' addresses map to
 * {@code remote-node} (6), their health addresses to {@code health} (4) and their pod
 * CIDRs and multi-pool blocks ({@link NodePodCidrs}) to {@code world} (2) with the node
 * as tunnel endpoint (the pods' own addresses come with their CiliumEndpoints); this
 * node's addresses map to {@code host} (1). This node's CiliumNode also gives the pod
 * CIDR ({@link CiliumNodeCidrSource}).
 */
final class NodeWatcher implements NodeAddresses {

	private static final String INTERNAL_IP = "InternalIP";

	private final String nodeName;

	private final IpcacheSync ipcache;

	private final CiliumNodeCidrSource cidrs;

	private CiliumNode localCiliumNode;

	private Node localNode;

	private volatile List<String> localAddresses = List.of();

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	NodeWatcher(String nodeName, IpcacheSync ipcache, CiliumNodeCidrSource cidrs) {
		this.nodeName = nodeName;
		this.ipcache = ipcache;
		this.cidrs = cidrs;
	}

	/**
	 * This node's addresses, InternalIPs first.
	 * @return the IPs known from its Node and CiliumNode objects
	 */
	@Override
	public List<String> localAddresses() {
		return this.localAddresses;
	}

	@Override
	public void onChange(Runnable listener) {
		this.listeners.add(listener);
	}

	ResourceEventHandler<CiliumNode> ciliumNodes() {
		return LevelTriggered.handler(this::upsert, this::remove);
	}

	ResourceEventHandler<Node> node() {
		return LevelTriggered.handler(this::local, (gone) -> local(null));
	}

	private void remove(CiliumNode node) {
		if (isLocal(node)) {
			synchronized (this) {
				this.localCiliumNode = null;
				this.cidrs.update(null);
				syncLocal();
			}
		}
		else {
			this.ipcache.sync(owner(node.getMetadata().getName()), Map.of());
		}
	}

	private synchronized void local(Node node) {
		this.localNode = node;
		syncLocal();
	}

	private void upsert(CiliumNode node) {
		if (isLocal(node)) {
			synchronized (this) {
				this.localCiliumNode = node;
				this.cidrs.update(
						(node.getSpec() != null && node.getSpec().ipam != null) ? node.getSpec().ipam.podCIDRs : null);
				syncLocal();
			}
			return;
		}
		this.ipcache.sync(owner(node.getMetadata().getName()), remoteEntries(node));
	}

	private boolean isLocal(CiliumNode node) {
		return this.nodeName.equals(node.getMetadata().getName());
	}

	private void syncLocal() {
		Set<String> addresses = new LinkedHashSet<>();
		if (this.localNode != null && this.localNode.getStatus() != null) {
			List<NodeAddress> nodeAddresses = this.localNode.getStatus().getAddresses();
			// InternalIPs first, IPv4 before IPv6: the first one names this node in its
			// pods' CiliumEndpoints, which other nodes tunnel to (upstream's
			// CiliumEndpoint node IP is the IPv4 one when there is one).
			nodeAddresses.stream()
				.filter((address) -> INTERNAL_IP.equals(address.getType()))
				.sorted(Comparator.comparing(
						(NodeAddress address) -> !(Addresses.address(address.getAddress()) instanceof Inet4Address)))
				.forEach((address) -> addresses.add(address.getAddress()));
			nodeAddresses.forEach((address) -> addresses.add(address.getAddress()));
		}
		for (CiliumNode.NodeAddress address : ciliumAddresses(this.localCiliumNode)) {
			addresses.add(address.ip);
		}
		Map<Cidr, IpcacheSync.Entry> entries = new HashMap<>();
		List<String> ips = new ArrayList<>();
		for (String ip : addresses) {
			Cidr prefix = Addresses.hostPrefix(ip);
			if (prefix != null) {
				ips.add(ip);
				entries.put(prefix, new IpcacheSync.Entry(ReservedIdentity.HOST.id(), null));
			}
		}
		List<String> before = this.localAddresses;
		this.localAddresses = List.copyOf(ips);
		this.ipcache.sync(owner(this.nodeName), entries);
		if (!before.equals(this.localAddresses)) {
			this.listeners.forEach(Runnable::run);
		}
	}

	private static Map<Cidr, IpcacheSync.Entry> remoteEntries(CiliumNode node) {
		List<CiliumNode.NodeAddress> addresses = ciliumAddresses(node);
		// The VXLAN underlay is IPv4: the tunnel endpoint of the node's addresses of both
		// families is its IPv4 InternalIP, wherever the list has it.
		InetAddress tunnel = addresses.stream()
			.filter((address) -> INTERNAL_IP.equals(address.type))
			.map((address) -> Addresses.address(address.ip))
			.filter((address) -> address instanceof Inet4Address)
			.findFirst()
			.orElse(null);
		Map<Cidr, IpcacheSync.Entry> entries = new HashMap<>();
		for (CiliumNode.NodeAddress address : addresses) {
			Cidr prefix = Addresses.hostPrefix(address.ip);
			if (prefix != null) {
				// The node's own InternalIP is reached directly; its other addresses
				// (CiliumInternalIP) through the tunnel to it.
				InetAddress via = INTERNAL_IP.equals(address.type) ? null : tunnel;
				entries.put(prefix, new IpcacheSync.Entry(ReservedIdentity.REMOTE_NODE.id(), via));
			}
		}
		CiliumNode.Spec spec = node.getSpec();
		if (spec != null && spec.health != null) {
			for (String ip : new String[] { spec.health.ipv4, spec.health.ipv6 }) {
				Cidr prefix = Addresses.hostPrefix(ip);
				if (prefix != null) {
					entries.put(prefix, new IpcacheSync.Entry(ReservedIdentity.HEALTH.id(), tunnel));
				}
			}
		}
		for (String text : NodePodCidrs.of(node)) {
			try {
				entries.put(Cidr.parse(text), new IpcacheSync.Entry(ReservedIdentity.WORLD.id(), tunnel));
			}
			catch (IllegalArgumentException ignored) {
				// A malformed CIDR from the operator is skipped, not fatal to the node.
			}
		}
		return entries;
	}

	private static List<CiliumNode.NodeAddress> ciliumAddresses(CiliumNode node) {
		if (node == null || node.getSpec() == null || node.getSpec().addresses == null) {
			return List.of();
		}
		return node.getSpec().addresses;
	}

	private static String owner(String nodeName) {
		return "node/" + nodeName;
	}

}
