package io.jcilium.agent.nodestate;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.jcilium.agent.service.lb.ServiceName;
import io.jcilium.agent.service.watch.ServiceSync;
import io.jcilium.api.agent.v1.NodeAddress;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.PoolBlock;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.net.IpAddress;

/**
 * Builds this node's {@link NodeState} (revision 0: the publisher numbers it) from what
 * the agent's caches hold now: addresses, pod CIDRs and multi-pool blocks (with their
 * pool) from its CiliumNode (the operator writes them there, as upstream), else the
 * addresses of its Node; labels from its Node; served addresses of every Service, in name
 * order so that an unchanged cluster gives an equal state. Plain Java.
 */
final class NodeStateAssembler {

	private NodeStateAssembler() {
	}

	/**
	 * @param nodeName this node
	 * @param node its Node, or {@code null} if not known
	 * @param ciliumNode its CiliumNode, or {@code null} if not known
	 * @param services the Services and EndpointSlices known
	 * @return the state
	 */
	static NodeState assemble(String nodeName, Node node, CiliumNode ciliumNode, ServiceSync.ServiceCache services) {
		NodeState.Builder state = NodeState.newBuilder().setNodeName(nodeName);
		CiliumNode.Spec spec = (ciliumNode != null) ? ciliumNode.getSpec() : null;
		if (spec != null && spec.addresses != null && !spec.addresses.isEmpty()) {
			for (CiliumNode.NodeAddress address : spec.addresses) {
				addAddress(state, address.type, address.ip);
			}
		}
		else if (node != null && node.getStatus() != null && node.getStatus().getAddresses() != null) {
			node.getStatus()
				.getAddresses()
				.forEach((address) -> addAddress(state, address.getType(), address.getAddress()));
		}
		if (spec != null && spec.ipam != null && spec.ipam.podCIDRs != null) {
			for (String cidr : spec.ipam.podCIDRs) {
				try {
					state.addPodCidrs(Cidr.parse(cidr).toString());
				}
				catch (IllegalArgumentException malformed) {
					// Not a prefix anyone could route: left out (the node watcher logs
					// it).
				}
			}
		}
		if (spec != null && spec.ipam != null && spec.ipam.pools != null && spec.ipam.pools.allocated != null) {
			for (CiliumNode.IpamPoolAllocation allocation : spec.ipam.pools.allocated) {
				addPoolBlocks(state, allocation);
			}
		}
		if (node != null && node.getMetadata().getLabels() != null) {
			state.putAllNodeLabels(node.getMetadata().getLabels());
		}
		List<ServiceName> names = services.serviceNames()
			.stream()
			.sorted(Comparator.comparing(ServiceName::namespace).thenComparing(ServiceName::name))
			.toList();
		for (ServiceName name : names) {
			Service service = services.service(name);
			if (service != null) {
				state.addAllLoadBalancerIps(ServedAddresses.of(service, services.slices(name), nodeName));
			}
		}
		return state.build();
	}

	private static void addPoolBlocks(NodeState.Builder state, CiliumNode.IpamPoolAllocation allocation) {
		if (allocation == null || allocation.pool == null || allocation.cidrs == null) {
			return;
		}
		for (String cidr : allocation.cidrs) {
			if (cidr == null) {
				continue;
			}
			try {
				state.addPoolBlocks(
						PoolBlock.newBuilder().setPool(allocation.pool).setCidr(Cidr.parse(cidr).toString()));
			}
			catch (IllegalArgumentException malformed) {
				// As a malformed pod CIDR: not a prefix anyone could route.
			}
		}
	}

	private static void addAddress(NodeState.Builder state, String type, String ip) {
		if (ip == null) {
			return;
		}
		try {
			String canonical = IpAddress.format(IpAddress.parseLiteral(ip));
			state.addAddresses(NodeAddress.newBuilder().setType(Objects.requireNonNullElse(type, "")).setIp(canonical));
		}
		catch (IllegalArgumentException hostName) {
			// A Node may list its Hostname among its addresses: not an IP to announce.
		}
	}

	/**
	 * Whether two states say the same, whatever their revisions.
	 */
	static boolean sameContent(NodeState a, NodeState b) {
		return a.toBuilder().setRevision(0).build().equals(b.toBuilder().setRevision(0).build());
	}

}
