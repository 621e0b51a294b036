package io.jcilium.agent.k8s;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.api.crd.v2.CiliumEndpoint;
import io.jcilium.api.crd.v2.CiliumNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The informers of the agent, built without I/O and started together once every handler
 * is registered. Pods are watched on this node only ({@code spec.nodeName}) and the Node
 * object only for this node, as upstream's agent does; namespaces, CiliumNodes,
 * CiliumEndpoints and policies cluster-wide.
 * <p>
 * An unreachable API server never fails the agent: each informer retries its list and
 * watch with the client's backoff for as long as the agent runs, and the endpoints
 * meanwhile work with what is known.
 */
public final class ClusterInformers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ClusterInformers.class);

	private final SharedIndexInformer<Pod> pods;

	private final SharedIndexInformer<Namespace> namespaces;

	private final SharedIndexInformer<Node> node;

	private final SharedIndexInformer<CiliumNode> ciliumNodes;

	private final SharedIndexInformer<CiliumEndpoint> ciliumEndpoints;

	private final SharedIndexInformer<NetworkPolicy> networkPolicies;

	private final SharedIndexInformer<GenericKubernetesResource> ciliumNetworkPolicies;

	private final SharedIndexInformer<GenericKubernetesResource> clusterwidePolicies;

	private final SharedIndexInformer<Service> services;

	private final SharedIndexInformer<EndpointSlice> endpointSlices;

	private final List<Runnable> podsSyncedListeners = new CopyOnWriteArrayList<>();

	private final List<Runnable> servicesSyncedListeners = new CopyOnWriteArrayList<>();

	private final AtomicBoolean servicesSynced = new AtomicBoolean();

	private volatile boolean running;

	ClusterInformers(KubernetesClient client, String nodeName, Duration resync, boolean podFieldSelector) {
		long resyncMillis = resync.toMillis();
		this.pods = podFieldSelector
				? client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).runnableInformer(resyncMillis)
				: client.pods().inAnyNamespace().runnableInformer(resyncMillis);
		this.namespaces = client.namespaces().runnableInformer(resyncMillis);
		this.node = client.nodes().withName(nodeName).runnableInformer(resyncMillis);
		this.ciliumNodes = client.resources(CiliumNode.class).runnableInformer(resyncMillis);
		this.ciliumEndpoints = client.resources(CiliumEndpoint.class).inAnyNamespace().runnableInformer(resyncMillis);
		this.networkPolicies = client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(resyncMillis);
		this.ciliumNetworkPolicies = client.genericKubernetesResources(PolicyKind.CILIUM_NETWORK_POLICY.context())
			.inAnyNamespace()
			.runnableInformer(resyncMillis);
		this.clusterwidePolicies = client
			.genericKubernetesResources(PolicyKind.CILIUM_CLUSTERWIDE_NETWORK_POLICY.context())
			.runnableInformer(resyncMillis);
		this.services = client.services().inAnyNamespace().runnableInformer(resyncMillis);
		this.endpointSlices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(resyncMillis);
		// A first list that fails (an API server still starting, a timeout under load) is
		// retried, as client-go's reflector does, instead of fabric8's default of
		// stopping
		// for good; only an object that cannot be read at all stops an informer.
		for (SharedIndexInformer<?> informer : List.of(this.pods, this.namespaces, this.node, this.ciliumNodes,
				this.ciliumEndpoints, this.networkPolicies, this.ciliumNetworkPolicies, this.clusterwidePolicies,
				this.services, this.endpointSlices)) {
			informer.exceptionHandler((started, failure) -> !ExceptionHandler.isDeserializationException(failure));
		}
	}

	public SharedIndexInformer<Pod> pods() {
		return this.pods;
	}

	public SharedIndexInformer<Namespace> namespaces() {
		return this.namespaces;
	}

	public SharedIndexInformer<Node> node() {
		return this.node;
	}

	public SharedIndexInformer<CiliumNode> ciliumNodes() {
		return this.ciliumNodes;
	}

	public SharedIndexInformer<CiliumEndpoint> ciliumEndpoints() {
		return this.ciliumEndpoints;
	}

	public SharedIndexInformer<NetworkPolicy> networkPolicies() {
		return this.networkPolicies;
	}

	public SharedIndexInformer<GenericKubernetesResource> ciliumNetworkPolicies() {
		return this.ciliumNetworkPolicies;
	}

	public SharedIndexInformer<GenericKubernetesResource> clusterwidePolicies() {
		return this.clusterwidePolicies;
	}

	public SharedIndexInformer<Service> services() {
		return this.services;
	}

	public SharedIndexInformer<EndpointSlice> endpointSlices() {
		return this.endpointSlices;
	}

	/**
	 * Runs {@code listener} once the pod informer has listed this node's pods: a
	 * reconciler that waits for a complete cache learns that it is there.
	 * @param listener run on the informer's thread; register before the start
	 */
	public void whenPodsSynced(Runnable listener) {
		this.podsSyncedListeners.add(listener);
	}

	/**
	 * Runs {@code listener} once the Service and EndpointSlice informers have both listed
	 * their objects: the service reconciler then knows which services are gone.
	 * @param listener run once, on an informer's thread; register before the start
	 */
	public void whenServicesSynced(Runnable listener) {
		this.servicesSyncedListeners.add(listener);
	}

	private List<SharedIndexInformer<?>> all() {
		// Namespaces before pods, so a pod's first metadata already has its namespace
		// labels more often than not (a later namespace event corrects it anyway).
		return List.of(this.namespaces, this.pods, this.node, this.ciliumNodes, this.ciliumEndpoints,
				this.networkPolicies, this.ciliumNetworkPolicies, this.clusterwidePolicies, this.services,
				this.endpointSlices);
	}

	/**
	 * Whether every informer has listed its resources once.
	 * @return whether the caches are complete
	 */
	public boolean hasSynced() {
		return all().stream().allMatch(SharedIndexInformer::hasSynced);
	}

	/**
	 * Before the endpoint lifecycle (which restores endpoints and may wait for this
	 * node's pod CIDR from its CiliumNode), so the caches it waits on are filling.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 2000;
	}

	@Override
	public void start() {
		for (SharedIndexInformer<?> informer : all()) {
			String kind = informer.getApiTypeClass().getSimpleName();
			AtomicInteger failures = new AtomicInteger();
			informer.exceptionHandler((started, failure) -> {
				// Warn on the 1st, 2nd, 4th, 8th... failure: an API server that stays
				// away
				// is visible without flooding the log.
				int count = failures.incrementAndGet();
				if (Integer.bitCount(count) == 1) {
					log.warn("Watching {} failed {} time(s), retrying with backoff: {}", kind, count,
							failure.toString());
				}
				return true;
			});
			informer.start().whenComplete((ignored, failure) -> {
				if (failure == null) {
					log.debug("Informer for {} synced", kind);
					if (informer == this.pods) {
						this.podsSyncedListeners.forEach(Runnable::run);
					}
					if (this.services.hasSynced() && this.endpointSlices.hasSynced()
							&& this.servicesSynced.compareAndSet(false, true)) {
						this.servicesSyncedListeners.forEach(Runnable::run);
					}
				}
			});
		}
		this.running = true;
	}

	@Override
	public void stop() {
		for (SharedIndexInformer<?> informer : all()) {
			informer.stop();
		}
		for (SharedIndexInformer<?> informer : all()) {
			try {
				informer.stopped().toCompletableFuture().get(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (ExecutionException | TimeoutException ex) {
				log.debug("Informer for {} did not confirm its stop", informer.getApiTypeClass().getSimpleName(), ex);
			}
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
