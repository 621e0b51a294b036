package io.jcilium.agent.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.jcilium.agent.endpoint.PodIpSpaceSource;
import io.jcilium.agent.ipam.PodIpSpace;
import io.jcilium.agent.ipam.PoolBlocks;
import io.jcilium.agent.k8s.LevelTriggered;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.net.Cidr;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Multi-pool IPAM between this node and the operator, through this node's CiliumNode as
 * upstream's agent does: the blocks in {@code spec.ipam.pools.allocated} feed the
 * {@link PoolBlocks} pods take addresses from; the {@value #JOB} job writes what the node
 * needs to {@code spec.ipam.pools.requested} and leaves the blocks it gives back out of
 * {@code allocated} (the operator then releases them in ipam-service), in a JSON Patch
 * guarded by the resourceVersion it saw ({@link PoolsPatch}). Level-triggered: every
 * CiliumNode event and every change of the addresses in use trigger it, a sweep every
 * resync interval repairs a lost write. It writes nothing before it has seen this node's
 * CiliumNode, so a restarted agent never asks for less than its pods hold.
 */
final class MultiPoolNode implements PodIpSpaceSource, SmartLifecycle {

	static final String JOB = "multi-pool-requests";

	static final Backoff RETRY = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

	private static final Logger logger = LoggerFactory.getLogger(MultiPoolNode.class);

	private final String nodeName;

	private final Duration wait;

	private final Consumer<List<Map<String, Object>>> patch;

	private final PoolBlocks blocks;

	private final Job job;

	private final CountDownLatch seen = new CountDownLatch(1);

	private volatile CiliumNode local;

	private volatile boolean running;

	/**
	 * @param nodeName this node
	 * @param preAllocate pool name to addresses kept free
	 * @param wait how long the first pod address waits for this node's CiliumNode
	 * @param patch applies a JSON Patch (RFC 6902, {@link PoolsPatch}) to this node's
	 * CiliumNode
	 * @param jobs where the job lives
	 * @param resync interval of the repairing sweep
	 */
	MultiPoolNode(String nodeName, Map<String, Integer> preAllocate, Duration wait,
			Consumer<List<Map<String, Object>>> patch, Jobs jobs, Duration resync) {
		this.nodeName = nodeName;
		this.wait = wait;
		this.patch = patch;
		this.blocks = new PoolBlocks(preAllocate, this::request);
		this.job = jobs.periodic(JOB, resync, RETRY, this::run);
	}

	ResourceEventHandler<CiliumNode> handler() {
		return LevelTriggered.handler((node) -> {
			if (this.nodeName.equals(node.getMetadata().getName())) {
				this.local = node;
				this.blocks.update(NodePodCidrs.poolBlocks(node))
					.forEach((problem) -> logger.warn("CiliumNode {}: {}", this.nodeName, problem));
				this.seen.countDown();
			}
		}, (gone) -> {
		});
	}

	@Override
	public PodIpSpace awaitSpace() {
		try {
			if (!this.seen.await(this.wait.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new PodCidrNotAssignedException("no CiliumNode " + this.nodeName + " after waiting " + this.wait
						+ ": multi-pool IPAM takes pod addresses from the pool blocks it lists (spec.ipam.pools)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PodCidrNotAssignedException("interrupted while waiting for CiliumNode " + this.nodeName);
		}
		return this.blocks;
	}

	/** The blocks pods take addresses from. */
	PoolBlocks blocks() {
		return this.blocks;
	}

	private void request() {
		if (this.running) {
			this.job.trigger();
		}
	}

	void run() {
		CiliumNode node = this.local;
		if (node == null) {
			return;
		}
		Set<String> returned = this.blocks.returnUnused();
		Map<String, Integer> requested = this.blocks.requested();
		Map<String, Object> pools = new LinkedHashMap<>();
		if (!requested.equals(currentRequests(node))) {
			List<Map<String, Object>> entries = new ArrayList<>();
			requested.forEach(
					(pool, addresses) -> entries.add(Map.of("pool", pool, "needed", Map.of("ipv4-addrs", addresses))));
			pools.put("requested", entries.isEmpty() ? null : entries);
		}
		Map<String, List<String>> allocated = NodePodCidrs.poolBlocks(node);
		Map<String, List<String>> kept = new TreeMap<>();
		allocated.forEach((pool, cidrs) -> {
			List<String> left = cidrs.stream().filter((cidr) -> !returned.contains(canonical(cidr))).toList();
			if (!left.isEmpty()) {
				kept.put(pool, left);
			}
		});
		if (!kept.equals(new TreeMap<>(allocated))) {
			List<Map<String, Object>> entries = new ArrayList<>();
			kept.forEach((pool, cidrs) -> entries.add(Map.of("pool", pool, "cidrs", cidrs)));
			pools.put("allocated", entries.isEmpty() ? null : entries);
		}
		List<Map<String, Object>> operations = PoolsPatch.of(node, pools);
		if (operations.isEmpty()) {
			return;
		}
		// Refused (409) when the CiliumNode changed since this node saw it: the job
		// retries, by then on the newer object.
		this.patch.accept(operations);
		logger.info("CiliumNode {}: pool requests {}{}", this.nodeName, requested,
				pools.containsKey("allocated") ? ", blocks given back " + returned : "");
	}

	private static Map<String, Integer> currentRequests(CiliumNode node) {
		Map<String, Integer> current = new TreeMap<>();
		CiliumNode.Spec spec = node.getSpec();
		if (spec != null && spec.ipam != null && spec.ipam.pools != null && spec.ipam.pools.requested != null) {
			for (CiliumNode.IpamPoolRequest request : spec.ipam.pools.requested) {
				if (request != null && request.pool != null) {
					Integer ipv4 = (request.needed != null) ? request.needed.ipv4Addrs : null;
					current.put(request.pool, Objects.requireNonNullElse(ipv4, 0));
				}
			}
		}
		return current;
	}

	private static String canonical(String cidr) {
		try {
			return Cidr.parse(cidr).toString();
		}
		catch (IllegalArgumentException ex) {
			return cidr;
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.job.start();
	}

	@Override
	public void stop() {
		this.running = false;
		this.job.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
