package io.jcilium.bgp.nodeconfig;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.crd.v2alpha1.CiliumBGPPeeringPolicy;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.bgp.reconcile.SpeakerReconciler;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the speaker from the API server: informers on this node's CiliumBGPNodeConfig and
 * CiliumNode, and on every CiliumBGPPeerConfig, CiliumBGPAdvertisement,
 * CiliumBGPPeeringPolicy and CiliumPodIPPool (whose labels pool advertisements select),
 * trigger one named job whose every pass translates the whole cache and hands the plan to
 * the {@link SpeakerReconciler}, which touches only what changed. A
 * CiliumBGPPeeringPolicy that selects this node takes precedence over its
 * CiliumBGPNodeConfig, as upstream's agent gives it. A config the speaker cannot run
 * fails the pass (its message is the job's last error, retried with backoff) and the
 * speaker keeps its last good state; with neither a node config nor a peering policy for
 * this node the speaker stops, telling its peers. While its node config is in force, a
 * second job writes the peers' state back to the node config's status, as upstream's
 * agent does ({@link NodeConfigStatus}).
 */
public final class NodeConfigWatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(NodeConfigWatcher.class);

	private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

	/** How often the peers' state is compared with the node config's status. */
	private static final Duration STATUS_INTERVAL = Duration.ofSeconds(5);

	/** Upstream's default {@code bgp-secrets-namespace}. */
	public static final String DEFAULT_SECRETS_NAMESPACE = "kube-system";

	private final KubernetesClient client;

	private final String nodeName;

	private final SpeakerReconciler reconciler;

	private final Jobs jobs;

	private final Supplier<NodeState> agent;

	private final PeerPasswords passwords;

	private final Job job;

	private final Job statusJob;

	private final NodeConfigStatusWriter statusWriter;

	/**
	 * Whether the speaker runs this node's CiliumBGPNodeConfig (not a peering policy).
	 */
	private volatile boolean nodeConfigInForce;

	private SharedIndexInformer<CiliumBGPNodeConfig> nodeConfigs;

	private SharedIndexInformer<CiliumNode> nodes;

	private SharedIndexInformer<CiliumBGPPeerConfig> peerConfigs;

	private SharedIndexInformer<CiliumBGPAdvertisement> advertisements;

	private SharedIndexInformer<CiliumBGPPeeringPolicy> peeringPolicies;

	private SharedIndexInformer<CiliumPodIPPool> pools;

	private List<String> lastNotices = List.of();

	/**
	 * @param client the Kubernetes client
	 * @param nodeName this node's name (its CiliumBGPNodeConfig and CiliumNode)
	 * @param reconciler the speaker's reconciler
	 * @param resync how often to reconcile without events
	 */
	public NodeConfigWatcher(KubernetesClient client, String nodeName, SpeakerReconciler reconciler, Duration resync) {
		this(client, nodeName, reconciler, resync, () -> null);
	}

	/**
	 * @param client the Kubernetes client
	 * @param nodeName this node's name (its CiliumBGPNodeConfig and CiliumNode)
	 * @param reconciler the speaker's reconciler
	 * @param resync how often to reconcile without events
	 * @param agent the local agent's latest node state, {@code null} while none; call
	 * {@link #changed()} when it changes
	 */
	public NodeConfigWatcher(KubernetesClient client, String nodeName, SpeakerReconciler reconciler, Duration resync,
			Supplier<NodeState> agent) {
		this(client, nodeName, reconciler, resync, agent, DEFAULT_SECRETS_NAMESPACE);
	}

	/**
	 * @param client the Kubernetes client
	 * @param nodeName this node's name (its CiliumBGPNodeConfig and CiliumNode)
	 * @param reconciler the speaker's reconciler
	 * @param resync how often to reconcile without events (and to read the peers'
	 * password Secrets again)
	 * @param agent the local agent's latest node state, {@code null} while none; call
	 * {@link #changed()} when it changes
	 * @param secretsNamespace where the Secrets that {@code authSecretRef}s name live
	 */
	public NodeConfigWatcher(KubernetesClient client, String nodeName, SpeakerReconciler reconciler, Duration resync,
			Supplier<NodeState> agent, String secretsNamespace) {
		this.passwords = new SecretPasswords(client, secretsNamespace);
		this.agent = agent;
		this.client = client;
		this.nodeName = nodeName;
		this.reconciler = reconciler;
		this.jobs = new Jobs("bgp-node-config", 2);
		this.job = this.jobs.periodic("bgp-node-config-reconciler", resync, BACKOFF, this::pass);
		this.statusWriter = new NodeConfigStatusWriter(client, reconciler, Clock.systemUTC());
		this.statusJob = this.jobs.periodic("bgp-node-config-status", STATUS_INTERVAL, BACKOFF, this::writeStatus);
	}

	public synchronized void start() {
		if (this.nodeConfigs != null) {
			return;
		}
		this.nodeConfigs = this.client.resources(CiliumBGPNodeConfig.class).withName(this.nodeName).runnableInformer(0);
		this.nodes = this.client.resources(CiliumNode.class).withName(this.nodeName).runnableInformer(0);
		this.peerConfigs = this.client.resources(CiliumBGPPeerConfig.class).runnableInformer(0);
		this.advertisements = this.client.resources(CiliumBGPAdvertisement.class).runnableInformer(0);
		this.peeringPolicies = this.client.resources(CiliumBGPPeeringPolicy.class).runnableInformer(0);
		this.pools = this.client.resources(CiliumPodIPPool.class).runnableInformer(0);
		for (SharedIndexInformer<?> informer : informers()) {
			trigger(informer);
			informer.start();
		}
		this.job.start();
		this.statusJob.start();
	}

	/**
	 * Reconciles soon: an input outside the API server (the agent's node state) changed.
	 */
	public void changed() {
		this.job.trigger();
	}

	/**
	 * The job, for health and tests: its last error says why the config is not running.
	 */
	public Job job() {
		return this.job;
	}

	@Override
	public synchronized void close() {
		this.statusJob.stop();
		this.job.stop();
		if (this.nodeConfigs != null) {
			informers().forEach(SharedIndexInformer::stop);
			this.nodeConfigs = null;
		}
		this.jobs.close();
	}

	private void pass() throws InterruptedException {
		SharedIndexInformer<CiliumBGPNodeConfig> configs;
		synchronized (this) {
			if (this.nodeConfigs == null) {
				return;
			}
			if (!informers().stream().allMatch(SharedIndexInformer::hasSynced)) {
				// An unsynced cache would look like a deleted node config: wait for it.
				throw new IllegalStateException("waiting for the BGP informers to sync");
			}
			configs = this.nodeConfigs;
		}
		List<CiliumNode> nodes = this.nodes.getStore().list();
		CiliumNode node = nodes.isEmpty() ? null : nodes.get(0);
		CiliumBGPPeeringPolicy policy = PeeringPolicyTranslator.select(this.peeringPolicies.getStore().list(), node,
				this.nodeName);
		if (policy != null) {
			this.nodeConfigInForce = false;
			apply(PeeringPolicyTranslator.translate(policy, node, this.agent.get(), this.passwords,
					this.pools.getStore().list()));
			return;
		}
		List<CiliumBGPNodeConfig> mine = configs.getStore().list();
		this.nodeConfigInForce = !mine.isEmpty();
		if (mine.isEmpty()) {
			if (this.reconciler.speaker() != null) {
				logger.info("no CiliumBGPNodeConfig or CiliumBGPPeeringPolicy for node {} any more: stopping the "
						+ "BGP speaker", this.nodeName);
				this.reconciler.stop(true);
			}
			return;
		}
		apply(NodeConfigTranslator.translate(mine.get(0), this.peerConfigs.getStore().list(),
				this.advertisements.getStore().list(), node, this.agent.get(), this.passwords,
				this.pools.getStore().list()));
	}

	private void writeStatus() {
		SharedIndexInformer<CiliumBGPNodeConfig> configs = nodeConfigs();
		if (configs != null && this.nodeConfigInForce) {
			configs.getStore().list().stream().findFirst().ifPresent(this.statusWriter::write);
		}
	}

	private synchronized SharedIndexInformer<CiliumBGPNodeConfig> nodeConfigs() {
		return this.nodeConfigs;
	}

	private void apply(NodeConfigTranslation translation) throws InterruptedException {
		if (!translation.notices().equals(this.lastNotices)) {
			translation.notices().forEach((notice) -> logger.warn("BGP config of node {}: {}", this.nodeName, notice));
			this.lastNotices = translation.notices();
		}
		this.reconciler.apply(translation.plan());
	}

	private List<SharedIndexInformer<?>> informers() {
		return List.of(this.nodeConfigs, this.nodes, this.peerConfigs, this.advertisements, this.peeringPolicies,
				this.pools);
	}

	private <T> void trigger(SharedIndexInformer<T> informer) {
		informer.addEventHandler(new ResourceEventHandler<T>() {
			@Override
			public void onAdd(T obj) {
				NodeConfigWatcher.this.job.trigger();
			}

			@Override
			public void onUpdate(T oldObj, T newObj) {
				NodeConfigWatcher.this.job.trigger();
			}

			@Override
			public void onDelete(T obj, boolean deletedFinalStateUnknown) {
				NodeConfigWatcher.this.job.trigger();
			}
		});
	}

}
