package io.jcilium.agent.node;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.agent.k8s.Addresses;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code GET /actuator/nodes}: the cluster's nodes as this agent knows them from their
 * CiliumNodes, sorted by name, for the console's {@code node list} (upstream's
 * {@code cilium-dbg node list}). Read from the informer's cache on request, so it shows
 * what the agent acts on, not what the API server holds at this instant. A node's
 * endpoint CIDR of a family is its first pod CIDR of that family, else (multi-pool IPAM,
 * where nodes have no pod CIDRs) its first pool block of that family in the order of
 * {@code spec.ipam.pools.allocated}, as upstream's agent takes the primary allocation
 * range from a CiliumNode.
 */
@WebEndpoint(id = "nodes")
public class NodeListEndpoint {

	private static final String INTERNAL_IP = "InternalIP";

	private final Supplier<List<CiliumNode>> nodes;

	private final String clusterName;

	private final String localNode;

	/**
	 * The view.
	 * @param nodes the CiliumNodes the agent's informer holds
	 * @param clusterName the cluster's name, the first part of each node's name
	 * @param localNode this node's name
	 */
	public NodeListEndpoint(Supplier<List<CiliumNode>> nodes, String clusterName, String localNode) {
		this.nodes = nodes;
		this.clusterName = clusterName;
		this.localNode = localNode;
	}

	@ReadOperation
	public List<Row> nodes() {
		List<Row> rows = new ArrayList<>();
		for (CiliumNode node : this.nodes.get()) {
			rows.add(row(node));
		}
		rows.sort(Comparator.comparing(Row::name));
		return rows;
	}

	private Row row(CiliumNode node) {
		String name = node.getMetadata().getName();
		List<NodeAddress> addresses = new ArrayList<>();
		List<String> podCidrs = new ArrayList<>();
		CiliumNode.Spec spec = node.getSpec();
		if (spec != null && spec.addresses != null) {
			spec.addresses.stream()
				.filter((address) -> address.ip != null)
				.forEach((address) -> addresses.add(new NodeAddress(address.type, address.ip)));
		}
		if (spec != null && spec.ipam != null && spec.ipam.podCIDRs != null) {
			podCidrs.addAll(spec.ipam.podCIDRs);
		}
		List<PoolBlock> poolBlocks = poolBlocks(spec);
		List<String> endpointCidrs = new ArrayList<>(podCidrs);
		poolBlocks.forEach((block) -> endpointCidrs.add(block.cidr()));
		return new Row(this.clusterName + "/" + name, name, name.equals(this.localNode), primary(addresses, true),
				cidr(endpointCidrs, true), primary(addresses, false), cidr(endpointCidrs, false), addresses, podCidrs,
				poolBlocks);
	}

	private static List<PoolBlock> poolBlocks(CiliumNode.Spec spec) {
		List<PoolBlock> blocks = new ArrayList<>();
		if (spec == null || spec.ipam == null || spec.ipam.pools == null || spec.ipam.pools.allocated == null) {
			return blocks;
		}
		for (CiliumNode.IpamPoolAllocation allocation : spec.ipam.pools.allocated) {
			if (allocation == null || allocation.pool == null || allocation.cidrs == null) {
				continue;
			}
			allocation.cidrs.stream()
				.filter((cidr) -> cidr != null)
				.forEach((cidr) -> blocks.add(new PoolBlock(allocation.pool, cidr)));
		}
		return blocks;
	}

	/** The node's InternalIP of the family, else its first address of the family. */
	private static String primary(List<NodeAddress> addresses, boolean ipv4) {
		String first = null;
		for (NodeAddress address : addresses) {
			InetAddress ip = Addresses.address(address.ip());
			if (ip == null || (ip instanceof Inet4Address) != ipv4) {
				continue;
			}
			if (INTERNAL_IP.equals(address.type())) {
				return address.ip();
			}
			first = (first != null) ? first : address.ip();
		}
		return first;
	}

	private static String cidr(List<String> cidrs, boolean ipv4) {
		return cidrs.stream().filter((cidr) -> cidr.contains(":") != ipv4).findFirst().orElse(null);
	}

	/**
	 * One node.
	 *
	 * @param name {@code cluster/node}, as upstream names nodes
	 * @param nodeName the node's own name
	 * @param local whether it is the node this agent runs on
	 * @param ipv4Address its InternalIP (IPv4), else its first IPv4 address; null if none
	 * @param ipv4AllocCidr its first IPv4 pod CIDR, else its first IPv4 pool block; null
	 * if none
	 * @param ipv6Address as {@code ipv4Address}, for IPv6
	 * @param ipv6AllocCidr as {@code ipv4AllocCidr}, for IPv6
	 * @param addresses every address its CiliumNode states
	 * @param podCidrs every pod CIDR its CiliumNode states
	 * @param poolBlocks every multi-pool block allocated to it, with its pool
	 */
	public record Row(String name, String nodeName, boolean local, String ipv4Address, String ipv4AllocCidr,
			String ipv6Address, String ipv6AllocCidr, List<NodeAddress> addresses, List<String> podCidrs,
			List<PoolBlock> poolBlocks) {

	}

	/**
	 * One block of a multi-pool IPAM pool allocated to a node.
	 *
	 * @param pool the CiliumPodIPPool's name
	 * @param cidr the block
	 */
	public record PoolBlock(String pool, String cidr) {

	}

	/**
	 * One address of a node.
	 *
	 * @param type e.g. {@code InternalIP}, {@code CiliumInternalIP}
	 * @param ip the address
	 */
	public record NodeAddress(String type, String ip) {

	}

}
