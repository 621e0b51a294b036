package io.jcilium.operator.multipool;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.operator.multipool.NodePoolRequests.Request;
import io.jcilium.operator.multipool.PoolIpam.IpamPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One level-triggered pass of multi-pool IPAM. First the pools: every CiliumPodIPPool is
 * (re)applied to ipam-service, which refuses an invalid one (reported as a Warning event
 * on it; the pool in force stays), and API pools without a CiliumPodIPPool are deleted
 * once no node holds their blocks. Then the nodes: each CiliumNode gets enough blocks of
 * every pool in its {@code spec.ipam.pools.requested}, listed in
 * {@code spec.ipam.pools.allocated}; blocks of a pool the node no longer requests, and
 * blocks the agent left out of {@code allocated} (upstream's way for an agent to give a
 * block back), are released (the agent keeps a request while it has addresses from the
 * pool).
 */
final class MultiPoolReconciler {

	private static final Logger logger = LoggerFactory.getLogger(MultiPoolReconciler.class);

	private static final String ALLOCATED = "/spec/ipam/pools/allocated";

	/** Writes of one node's blocks per pass that may meet a newer version (409). */
	private static final int MAX_WRITE_ATTEMPTS = 3;

	private final KubernetesClient client;

	private final ResourceDefinitionContext ciliumNodeContext;

	private final PoolIpam ipam;

	private final PoolEvents events;

	private final Set<String> waitingForRelease = new HashSet<>();

	/** Nodes a pass has looked at, and those of them found holding blocks. */
	private final Set<String> checked = new HashSet<>();

	private final Set<String> holders = new HashSet<>();

	MultiPoolReconciler(KubernetesClient client, ResourceDefinitionContext ciliumNodeContext, PoolIpam ipam) {
		this.client = client;
		this.ciliumNodeContext = ciliumNodeContext;
		this.ipam = ipam;
		this.events = new PoolEvents(client);
	}

	void reconcile(List<CiliumPodIPPool> pools, List<GenericKubernetesResource> ciliumNodes) {
		Map<String, IpamPool> served = syncPools(pools);
		for (GenericKubernetesResource ciliumNode : ciliumNodes) {
			allocate(ciliumNode, served);
		}
	}

	private Map<String, IpamPool> syncPools(List<CiliumPodIPPool> pools) {
		Set<String> defined = new HashSet<>();
		for (CiliumPodIPPool pool : pools) {
			defined.add(pool.getMetadata().getName());
			try {
				this.ipam.upsert(definition(pool));
				this.events.clear(pool);
			}
			catch (PoolRejectedException ex) {
				logger.warn("CiliumPodIPPool {} is refused, the pool in force (if any) stays: {}",
						pool.getMetadata().getName(), ex.getMessage());
				this.events.warn(pool, "InvalidPool", ex.getMessage());
			}
		}
		for (IpamPool pool : this.ipam.pools()) {
			if (pool.configured() || defined.contains(pool.name())) {
				continue;
			}
			try {
				if (this.ipam.delete(pool.name())) {
					logger.info("CiliumPodIPPool {} is gone: deleted the pool in ipam-service", pool.name());
				}
				this.waitingForRelease.remove(pool.name());
			}
			catch (PoolRejectedException ex) {
				if (this.waitingForRelease.add(pool.name())) {
					logger.info("CiliumPodIPPool {} is gone but the pool stays until nodes release it: {}", pool.name(),
							ex.getMessage());
				}
			}
		}
		return this.ipam.pools().stream().collect(Collectors.toMap(IpamPool::name, Function.identity()));
	}

	private void allocate(GenericKubernetesResource cached, Map<String, IpamPool> served) {
		List<Request> requests = NodePoolRequests.requested(cached);
		Object listedInCache = NodePoolRequests.allocated(cached);
		String node = cached.getMetadata().getName();
		if (requests.isEmpty() && (listedInCache == null || (listedInCache instanceof List<?> list && list.isEmpty()))
				&& this.checked.contains(node) && !this.holders.contains(node)) {
			return;
		}
		// Once for every attempt: a block allocated by an attempt whose write was refused
		// is this pass's own, not one the agent gave back.
		Set<String> before = cidrs(this.ipam.blocksOf(node));
		GenericKubernetesResource ciliumNode = cached;
		for (int attempt = 1;; attempt++) {
			try {
				allocate(ciliumNode, served, before);
				return;
			}
			catch (KubernetesClientException ex) {
				if (ex.getCode() != HttpURLConnection.HTTP_CONFLICT) {
					throw ex;
				}
				if (attempt == MAX_WRITE_ATTEMPTS) {
					logger.info("CiliumNode {} kept changing under {} writes of its pool blocks; the next pass "
							+ "tries again", node, attempt);
					return;
				}
			}
			// Someone else (the agent) wrote the node since it was read: the pass starts
			// over from what it wrote.
			ciliumNode = this.client.genericKubernetesResources(this.ciliumNodeContext).withName(node).get();
			if (ciliumNode == null) {
				return;
			}
		}
	}

	private void allocate(GenericKubernetesResource cached, Map<String, IpamPool> served, Set<String> before) {
		List<Request> requests = NodePoolRequests.requested(cached);
		String node = cached.getMetadata().getName();
		List<String> errors = new ArrayList<>();
		Set<String> requestedPools = new HashSet<>();
		for (Request request : requests) {
			requestedPools.add(request.pool());
			IpamPool pool = served.get(request.pool());
			if (pool == null) {
				errors.add("IP pool '" + request.pool() + "' does not exist");
				continue;
			}
			ensure(pool, node, "ipv4", request.ipv4Addrs(), pool.ipv4MaskSize(), 32, errors);
			ensure(pool, node, "ipv6", request.ipv6Addrs(), pool.ipv6MaskSize(), 128, errors);
		}
		Map<String, List<String>> held = new TreeMap<>(this.ipam.blocksOf(node));
		Set<String> allocatedNow = cidrs(held);
		allocatedNow.removeAll(before);
		GenericKubernetesResource ciliumNode = cached;
		if (!unlisted(held, requestedPools, NodePoolRequests.allocatedCidrs(cached), allocatedNow).isEmpty()) {
			// The cache may not show this operator's last write yet, or may have skipped
			// it on the way to the agent's: a read from the API server sees every write
			// that completed before it, so a block it does not list was given back.
			ciliumNode = this.client.genericKubernetesResources(this.ciliumNodeContext).withName(node).get();
			if (ciliumNode == null) {
				return;
			}
		}
		this.checked.add(node);
		if (held.isEmpty()) {
			this.holders.remove(node);
		}
		else {
			this.holders.add(node);
		}
		Object current = NodePoolRequests.allocated(ciliumNode);
		Map<String, List<String>> givenBack = unlisted(held, requestedPools,
				NodePoolRequests.allocatedCidrs(ciliumNode), allocatedNow);
		givenBack.forEach((pool, cidrs) -> {
			List<String> left = new ArrayList<>(held.get(pool));
			left.removeAll(cidrs);
			if (left.isEmpty()) {
				held.remove(pool);
			}
			else {
				held.put(pool, left);
			}
		});
		List<Map<String, Object>> desired = new ArrayList<>();
		held.forEach((pool, cidrs) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("pool", pool);
			entry.put("cidrs", cidrs);
			desired.add(entry);
		});
		boolean unchanged = Objects.equals(current, desired) || (current == null && desired.isEmpty());
		if (!unchanged || !givenBack.isEmpty()) {
			writeAllocated(ciliumNode, desired);
			logger.info("CiliumNode {}: allocated pool blocks {}", node, held);
		}
		// Released only once the CiliumNode no longer lists them, written against the
		// version this pass read: a block is never handed to another node while this
		// one's object still offers it to its pods.
		givenBack.forEach((pool, cidrs) -> {
			cidrs.forEach((cidr) -> this.ipam.release(pool, node, cidr));
			logger.info("Node {} no longer uses {} of pool {}: released", node, cidrs, pool);
		});
		if (errors.isEmpty()) {
			this.events.clear(ciliumNode);
		}
		else {
			String message = String.join("; ", errors);
			logger.warn("CiliumNode {}: pool requests not met: {}", node, message);
			this.events.warn(ciliumNode, "PoolAllocationFailed", message);
		}
	}

	/**
	 * A JSON Patch (RFC 6902) of this one field against the version the pass read: the
	 * agent owns "requested" and the node lifecycle the rest of the spec, and the agent
	 * gives a block back by writing "allocated" too, so the write carries the
	 * resourceVersion as a precondition and the API server refuses it (409) if the object
	 * changed since; the pass then starts over from the fresh object instead of putting
	 * back a block the agent gave up. Nothing allocated removes the field. (A JSON merge
	 * patch would be unguarded, and fabric8's mock API server appends lists on one.)
	 */
	private void writeAllocated(GenericKubernetesResource ciliumNode, List<Map<String, Object>> desired) {
		List<Map<String, Object>> operations = new ArrayList<>();
		String version = ciliumNode.getMetadata().getResourceVersion();
		if (version != null) {
			operations.add(operation("replace", "/metadata/resourceVersion", version));
		}
		Map<?, ?> spec = (ciliumNode.getAdditionalProperties().get("spec") instanceof Map<?, ?> map) ? map : null;
		Map<?, ?> ipam = (spec != null && spec.get("ipam") instanceof Map<?, ?> map) ? map : null;
		Map<?, ?> pools = (ipam != null && ipam.get("pools") instanceof Map<?, ?> map) ? map : null;
		if (desired.isEmpty()) {
			if (pools == null || !pools.containsKey("allocated")) {
				return;
			}
			operations.add(operation("remove", ALLOCATED, null));
		}
		else if (pools != null) {
			// "add" of an existing member replaces it (RFC 6902 section 4.1).
			operations.add(operation("add", ALLOCATED, desired));
		}
		else if (ipam != null) {
			operations.add(operation("add", "/spec/ipam/pools", Map.of("allocated", desired)));
		}
		else if (spec != null) {
			operations.add(operation("add", "/spec/ipam", Map.of("pools", Map.of("allocated", desired))));
		}
		else {
			operations.add(operation("add", "/spec", Map.of("ipam", Map.of("pools", Map.of("allocated", desired)))));
		}
		this.client.genericKubernetesResources(this.ciliumNodeContext)
			.withName(ciliumNode.getMetadata().getName())
			.patch(PatchContext.of(PatchType.JSON), this.client.getKubernetesSerialization().asJson(operations));
	}

	private static Map<String, Object> operation(String op, String path, Object value) {
		Map<String, Object> operation = new LinkedHashMap<>();
		operation.put("op", op);
		operation.put("path", path);
		if (value != null) {
			operation.put("value", value);
		}
		return operation;
	}

	/**
	 * Blocks to release: those of a pool the node no longer requests, and those it holds
	 * but does not list, except the ones allocated in this pass and not written yet.
	 */
	private static Map<String, List<String>> unlisted(Map<String, List<String>> held, Set<String> requestedPools,
			Set<String> listed, Set<String> allocatedNow) {
		Map<String, List<String>> givenBack = new TreeMap<>();
		held.forEach((pool, cidrs) -> cidrs.stream()
			.filter((cidr) -> !requestedPools.contains(pool)
					|| (!listed.contains(cidr) && !allocatedNow.contains(cidr)))
			.forEach((cidr) -> givenBack.computeIfAbsent(pool, (p) -> new ArrayList<>()).add(cidr)));
		return givenBack;
	}

	private static Set<String> cidrs(Map<String, List<String>> blocks) {
		Set<String> cidrs = new HashSet<>();
		blocks.values().forEach(cidrs::addAll);
		return cidrs;
	}

	private void ensure(IpamPool pool, String node, String family, int addresses, int maskSize, int bits,
			List<String> errors) {
		if (addresses <= 0) {
			return;
		}
		if (maskSize == 0) {
			errors.add("IP pool '" + pool.name() + "' has no " + family + " CIDRs");
			return;
		}
		try {
			this.ipam.ensureBlocks(pool.name(), node, family, NodePoolRequests.blocksFor(addresses, bits - maskSize));
		}
		catch (PoolRejectedException ex) {
			errors.add(ex.getMessage());
		}
	}

	static PoolIpam.PoolDefinition definition(CiliumPodIPPool pool) {
		CiliumPodIPPool.Spec spec = (pool.getSpec() != null) ? pool.getSpec() : new CiliumPodIPPool.Spec();
		return new PoolIpam.PoolDefinition(pool.getMetadata().getName(), cidrs(spec.ipv4), maskSize(spec.ipv4),
				cidrs(spec.ipv6), maskSize(spec.ipv6));
	}

	private static List<String> cidrs(CiliumPodIPPool.FamilySpec family) {
		return (family != null && family.cidrs != null) ? family.cidrs : List.of();
	}

	private static int maskSize(CiliumPodIPPool.FamilySpec family) {
		return (family != null && family.maskSize != null) ? family.maskSize : 0;
	}

}
