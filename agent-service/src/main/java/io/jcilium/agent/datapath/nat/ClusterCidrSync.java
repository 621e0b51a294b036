package io.jcilium.agent.datapath.nat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.jcilium.agent.k8s.LevelTriggered;
import io.jcilium.agent.node.NodeCidrSource;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.net.Cidr;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The {@value #JOB} job: level-triggered, it writes the cluster's pod CIDRs and pool
 * blocks ({@link ClusterPodCidrs}, from every CiliumNode known and this node's own pod
 * CIDR) into {@code masq_cluster_v4}, so a node joining or leaving, or a pool block given
 * or taken back, changes what is never masqueraded as soon as its CiliumNode event
 * arrives. Until the CiliumNode cache is synced it only adds: removing from a partial
 * cache after a restart would masquerade pod-to-pod traffic of nodes not seen yet. A
 * failed write fails the run, which retries with backoff.
 */
final class ClusterCidrSync implements SmartLifecycle {

	static final String JOB = "masquerade-cluster-cidrs";

	/** After a failed run: 200 ms doubling to 30 s, with jitter. */
	static final Backoff RETRY = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

	private static final Logger logger = LoggerFactory.getLogger(ClusterCidrSync.class);

	private final Map<String, CiliumNode> nodes = new ConcurrentHashMap<>();

	private final NodeCidrSource localCidr;

	private final BooleanSupplier synced;

	private final Writer writer;

	private final Job job;

	private volatile List<Cidr> written = List.of();

	private volatile boolean running;

	/** Writes the prefixes into the kernel's trie. */
	@FunctionalInterface
	interface Writer {

		/**
		 * @param prefixes what the trie is to hold
		 * @param removeOthers whether prefixes not given are removed
		 */
		void write(List<Cidr> prefixes, boolean removeOthers);

	}

	/**
	 * @param localCidr this node's pod CIDR (from its CiliumNode, or configured)
	 * @param synced whether the CiliumNode cache holds every node yet (always true
	 * without Kubernetes)
	 * @param writer the trie
	 * @param jobs where the job lives
	 * @param resync interval of the repairing sweep
	 */
	ClusterCidrSync(NodeCidrSource localCidr, BooleanSupplier synced, Writer writer, Jobs jobs, Duration resync) {
		this.localCidr = localCidr;
		this.synced = synced;
		this.writer = writer;
		this.job = jobs.periodic(JOB, resync, RETRY, this::run);
	}

	ResourceEventHandler<CiliumNode> handler() {
		Consumer<CiliumNode> put = (node) -> {
			this.nodes.put(node.getMetadata().getName(), node);
			request();
		};
		return LevelTriggered.handler(put, (node) -> {
			this.nodes.remove(node.getMetadata().getName());
			request();
		});
	}

	/**
	 * The prefixes the last run wrote.
	 * @return the cluster's pod CIDRs as masquerading sees them
	 */
	List<Cidr> written() {
		return this.written;
	}

	private void request() {
		if (this.running) {
			this.job.trigger();
		}
	}

	void run() {
		boolean complete = this.synced.getAsBoolean();
		List<Cidr> prefixes = ClusterPodCidrs.of(List.copyOf(this.nodes.values()), this.localCidr.podCidr());
		this.writer.write(prefixes, complete);
		if (!prefixes.equals(this.written)) {
			logger.info("never masquerading towards the cluster's pod CIDRs {}", prefixes);
			this.written = prefixes;
		}
		if (!complete) {
			throw new IllegalStateException("waiting for the CiliumNode cache to sync before removing any pod CIDR");
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

	/**
	 * After {@link MasqueradeDatapath}, which switches masquerading on once the maps
	 * exist.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 2040;
	}

}
