package io.jcilium.operator.node;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One level-triggered pass of the node lifecycle: every Node has a {@code CiliumNode} of
 * the same name carrying its addresses and, in cluster-pool mode, its pod CIDRs (in
 * multi-pool mode, as upstream, none: the node gets pool blocks in
 * {@code spec.ipam.pools} from multi-pool IPAM); a CiliumNode this operator manages whose
 * Node is gone has its CIDRs released and is deleted, and CIDRs IPAM still holds for a
 * node that is gone are released.
 * <p>
 * The CiliumNode has no owner reference to its Node on purpose: Kubernetes' garbage
 * collector would then delete it together with the Node, before this operator could
 * release the CIDRs, and the CiliumNode is the record of which nodes still hold CIDRs.
 * Release comes before delete for the same reason: a failure in between leaves the
 * CiliumNode, so the next pass retries.
 */
final class NodeReconciler {

	private static final Logger logger = LoggerFactory.getLogger(NodeReconciler.class);

	private final KubernetesClient client;

	private final ResourceDefinitionContext ciliumNodeContext;

	private final NodeCidrAllocator allocator;

	private final IpamMode mode;

	NodeReconciler(KubernetesClient client, ResourceDefinitionContext ciliumNodeContext, NodeCidrAllocator allocator,
			IpamMode mode) {
		this.client = client;
		this.ciliumNodeContext = ciliumNodeContext;
		this.allocator = allocator;
		this.mode = mode;
	}

	/**
	 * Converge.
	 * @param nodes every Node
	 * @param ciliumNodes every CiliumNode
	 * @return how many CiliumNodes were created, updated or deleted
	 */
	int reconcile(List<Node> nodes, List<GenericKubernetesResource> ciliumNodes) {
		int changes = 0;
		Map<String, List<String>> claimed = new HashMap<>();
		Set<String> conflicted = (this.mode == IpamMode.CLUSTER_POOL) ? claimRecordedCidrs(ciliumNodes, claimed)
				: Set.of();
		Set<String> nodeNames = new HashSet<>();
		for (Node node : nodes) {
			String name = node.getMetadata().getName();
			nodeNames.add(name);
			GenericKubernetesResource existing = ciliumNodes.stream()
				.filter((cn) -> name.equals(cn.getMetadata().getName()))
				.findFirst()
				.orElse(null);
			if (conflicted.contains(name)) {
				// Its CIDR is another node's in IPAM: allocating would give it a second
				// one under the agent's feet; leave it for an administrator.
				continue;
			}
			changes += ensure(node, existing, claimed.get(name)) ? 1 : 0;
		}
		for (GenericKubernetesResource ciliumNode : ciliumNodes) {
			String name = ciliumNode.getMetadata().getName();
			Map<String, String> labels = ciliumNode.getMetadata().getLabels();
			boolean managed = labels != null && CiliumNodes.MANAGED_BY.equals(labels.get(CiliumNodes.MANAGED_BY_LABEL));
			if (!nodeNames.contains(name) && managed && isGone(name)) {
				this.allocator.release(name);
				this.client.genericKubernetesResources(this.ciliumNodeContext).withName(name).delete();
				logger.info("Node {} is gone: released its pod CIDRs and deleted its CiliumNode", name);
				changes++;
			}
		}
		return changes + releaseOrphans(nodeNames);
	}

	/**
	 * Records in IPAM every pod CIDR the CiliumNodes carry, before anything is allocated:
	 * after ipam-service lost its data (a wiped or replaced Redis) the CiliumNodes are
	 * the source of truth, and allocating first could hand a node's CIDR to another node
	 * while its agent keeps using it. A no-op when IPAM already records them.
	 * @return the nodes whose CIDRs IPAM records for another node: they are left as they
	 * are rather than given a second CIDR
	 */
	private Set<String> claimRecordedCidrs(List<GenericKubernetesResource> ciliumNodes,
			Map<String, List<String>> claimed) {
		Set<String> conflicted = new HashSet<>();
		for (GenericKubernetesResource ciliumNode : ciliumNodes) {
			if (!(CiliumNodes.podCidrs(CiliumNodes.spec(ciliumNode)) instanceof List<?> cidrs) || cidrs.isEmpty()) {
				continue;
			}
			List<String> recorded = cidrs.stream().map(String::valueOf).toList();
			String name = ciliumNode.getMetadata().getName();
			try {
				this.allocator.claim(name, recorded);
				claimed.put(name, recorded);
			}
			catch (StatusRuntimeException ex) {
				Status.Code code = ex.getStatus().getCode();
				if (code == Status.Code.ALREADY_EXISTS) {
					conflicted.add(name);
					logger.error(
							"CiliumNode {} has pod CIDRs {} that IPAM records for another node: left unchanged, "
									+ "two nodes must not share addresses ({})",
							name, recorded, ex.getStatus().getDescription());
				}
				else if (code == Status.Code.FAILED_PRECONDITION || code == Status.Code.INVALID_ARGUMENT) {
					// IPAM holds other CIDRs for the node, or these are no blocks of
					// the pool (an edited CiliumNode): IPAM's record wins, ensure
					// repairs the CiliumNode.
					logger.warn("CiliumNode {} pod CIDRs {} not recorded by IPAM: {}", name, recorded,
							ex.getStatus().getDescription());
				}
				else {
					throw ex;
				}
			}
		}
		return conflicted;
	}

	/**
	 * Releases the CIDRs IPAM records for nodes that no longer exist. The CiliumNode
	 * alone is not a sufficient record: when it vanishes together with its Node (or both
	 * go while no operator leads) no pass ever sees it, and the CIDRs would leak. IPAM's
	 * own list of holders survives both, so this converges also after a restart.
	 */
	private int releaseOrphans(Set<String> nodeNames) {
		int released = 0;
		for (String holder : this.allocator.allocatedNodes()) {
			if (!nodeNames.contains(holder) && isGone(holder)) {
				this.allocator.release(holder);
				logger.info("Node {} is gone: released the pod CIDRs IPAM still held for it", holder);
				released++;
			}
		}
		return released;
	}

	/**
	 * The informer cache can lag behind a Node created a moment ago: its absence is
	 * confirmed with a direct read before its CIDRs are released.
	 */
	private boolean isGone(String node) {
		return this.client.nodes().withName(node).get() == null;
	}

	// A node whose CiliumNode CIDRs IPAM has just accepted keeps them without asking IPAM
	// again: if IPAM lost its data between the claim and here, allocating would hand the
	// node new CIDRs under its agent's feet (the CiliumNode is the truth after a loss;
	// the
	// next pass records them in IPAM again).
	private boolean ensure(Node node, GenericKubernetesResource existing, List<String> claimed) {
		String name = node.getMetadata().getName();
		// Multi-pool mode, as upstream's: no pod CIDR, the node's addresses come from the
		// pool blocks multi-pool IPAM lists in spec.ipam.pools.
		List<String> podCidrs = (this.mode == IpamMode.MULTI_POOL) ? null
				: (claimed != null) ? claimed : this.allocator.allocate(name);
		List<Map<String, Object>> addresses = CiliumNodes.addresses(node);
		if (existing == null) {
			GenericKubernetesResource created = new GenericKubernetesResourceBuilder()
				.withApiVersion(this.ciliumNodeContext.getGroup() + "/" + this.ciliumNodeContext.getVersion())
				.withKind("CiliumNode")
				.withNewMetadata()
				.withName(name)
				.addToLabels(CiliumNodes.MANAGED_BY_LABEL, CiliumNodes.MANAGED_BY)
				.endMetadata()
				.addToAdditionalProperties("spec", CiliumNodes.withDesired(Map.of(), addresses, podCidrs))
				.build();
			this.client.genericKubernetesResources(this.ciliumNodeContext).resource(created).create();
			logger.info("Created CiliumNode {} with pod CIDRs {} and addresses {}", name, podCidrs, addresses);
			return true;
		}
		Map<String, Object> spec = CiliumNodes.spec(existing);
		Map<String, String> labels = existing.getMetadata().getLabels();
		boolean labelled = labels != null && CiliumNodes.MANAGED_BY.equals(labels.get(CiliumNodes.MANAGED_BY_LABEL));
		if (labelled && Objects.equals(spec.get("addresses"), addresses)
				&& (podCidrs == null || Objects.equals(CiliumNodes.podCidrs(spec), podCidrs))) {
			return false;
		}
		GenericKubernetesResource updated = this.client.getKubernetesSerialization().clone(existing);
		if (updated.getMetadata().getLabels() == null) {
			updated.getMetadata().setLabels(new LinkedHashMap<>());
		}
		updated.getMetadata().getLabels().put(CiliumNodes.MANAGED_BY_LABEL, CiliumNodes.MANAGED_BY);
		updated.getAdditionalProperties().put("spec", CiliumNodes.withDesired(spec, addresses, podCidrs));
		this.client.genericKubernetesResources(this.ciliumNodeContext).resource(updated).update();
		logger.info("Repaired CiliumNode {}: pod CIDRs {}, addresses {}", name, podCidrs, addresses);
		return true;
	}

}
