package io.jcilium.bgp.nodeconfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.PoolBlock;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.common.label.Labels;
import io.jcilium.common.selector.LabelSelector;

/**
 * The routes of {@code CiliumPodIPPool} advertisements (v2) and of a v1 virtual router's
 * {@code podIPPoolSelector}, as upstream's BGP pod IP pool reconcilers pick them in
 * multi-pool IPAM: the blocks allocated to this node (the local agent's node state when
 * the service follows one, else the CiliumNode's {@code spec.ipam.pools.allocated}) of
 * every CiliumPodIPPool that exists and whose labels, plus {@value #POOL_NAME_LABEL} and
 * {@value #POOL_NAMESPACE_LABEL} (empty: pools are cluster-scoped), the selector matches.
 * No selector selects no pool. A block of a pool that no longer exists, or that the
 * selector stops matching, is withdrawn. The pool's own {@code podSelector} and
 * {@code namespaceSelector} decide which pods take addresses from it and play no part
 * here. Each block is advertised as allocated, in its own family only.
 */
final class PodIpPoolAdvertisements {

	static final String POOL_NAME_LABEL = "io.cilium.podippool.name";

	static final String POOL_NAMESPACE_LABEL = "io.cilium.podippool.namespace";

	private PodIpPoolAdvertisements() {
	}

	/**
	 * One block allocated to this node.
	 *
	 * @param pool its pool's name
	 * @param prefix the block
	 */
	record Block(String pool, Prefix prefix) {

	}

	/**
	 * The blocks allocated to this node.
	 * @param node this node's CiliumNode, or {@code null}
	 * @param agent the local agent's node state, which wins when there is one
	 * @param notices where a malformed block is reported (it is left out)
	 */
	static List<Block> blocks(CiliumNode node, NodeState agent, List<String> notices) {
		List<Block> blocks = new ArrayList<>();
		if (agent != null) {
			for (PoolBlock block : agent.getPoolBlocksList()) {
				add(blocks, block.getPool(), block.getCidr(), "the agent's pool block ", notices);
			}
			return blocks;
		}
		if (node == null || node.getSpec() == null || node.getSpec().ipam == null || node.getSpec().ipam.pools == null
				|| node.getSpec().ipam.pools.allocated == null) {
			return blocks;
		}
		for (CiliumNode.IpamPoolAllocation allocation : node.getSpec().ipam.pools.allocated) {
			if (allocation == null || allocation.pool == null) {
				continue;
			}
			for (String cidr : Objects.requireNonNullElse(allocation.cidrs, List.<String>of())) {
				add(blocks, allocation.pool, cidr,
						"CiliumNode " + node.getMetadata().getName() + " pool " + allocation.pool + " block ", notices);
			}
		}
		return blocks;
	}

	private static void add(List<Block> blocks, String pool, String cidr, String what, List<String> notices) {
		if (cidr == null) {
			return;
		}
		try {
			blocks.add(new Block(pool, Prefix.parse(cidr)));
		}
		catch (IllegalArgumentException ex) {
			AdvertisementSelection.addOnce(notices, what + cidr + " is not a CIDR: not advertised");
		}
	}

	/**
	 * The labels a pool selector matches: the pool's own and upstream's two synthetic
	 * ones.
	 */
	static Labels labels(CiliumPodIPPool pool) {
		Map<String, String> labels = new HashMap<>(
				Objects.requireNonNullElse(pool.getMetadata().getLabels(), Map.<String, String>of()));
		labels.put(POOL_NAME_LABEL, pool.getMetadata().getName());
		labels.put(POOL_NAMESPACE_LABEL, Objects.requireNonNullElse(pool.getMetadata().getNamespace(), ""));
		return Labels.fromMap(labels, "k8s");
	}

	/**
	 * Adds the blocks of the selected pools.
	 * @param selector the advertisement's pool selector, {@code null} for none (selects
	 * no pool)
	 * @param pools every CiliumPodIPPool
	 * @param blocks the blocks allocated to this node
	 * @param family the family routes are for, {@code null} for both
	 * @param attributes the attributes of a selected pool's blocks
	 * @param routes where the routes go
	 */
	static void select(LabelSelector selector, Collection<CiliumPodIPPool> pools, List<Block> blocks,
			AddressFamily family, Function<CiliumPodIPPool, RouteAttributes> attributes,
			Map<Prefix, RouteAttributes> routes) {
		if (selector == null || blocks.isEmpty()) {
			return;
		}
		for (CiliumPodIPPool pool : pools) {
			if (!selector.matches(labels(pool))) {
				continue;
			}
			String name = pool.getMetadata().getName();
			RouteAttributes these = null;
			for (Block block : blocks) {
				if (block.pool().equals(name) && (family == null || block.prefix().family() == family)) {
					these = (these != null) ? these : attributes.apply(pool);
					routes.merge(block.prefix(), these, AdvertisementSelection::merge);
				}
			}
		}
	}

}
