package io.jcilium.agent.l2announce;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lease election per service this node may announce, as upstream's announcer runs one
 * client-go leader election per service (fabric8's {@link LeaderElector} follows
 * client-go's algorithm): the holder renews every {@code retryPeriod}, gives the service
 * up when it could not renew for {@code renewDeadline}, and another candidate takes the
 * Lease once {@code leaseDuration} passed without renewal. The holder identity is the
 * node name. Every change of what this node holds calls {@code onChange}.
 */
public final class LeaseElections implements L2Announcer.Elections, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LeaseElections.class);

	private final KubernetesClient client;

	private final L2AnnouncementProperties properties;

	private final String nodeName;

	private final Runnable onChange;

	private final ExecutorService executor;

	private final Map<AnnouncedService, CompletableFuture<?>> running = new ConcurrentHashMap<>();

	private final Set<AnnouncedService> wanted = ConcurrentHashMap.newKeySet();

	private final Set<AnnouncedService> held = ConcurrentHashMap.newKeySet();

	/**
	 * @param client the Kubernetes client
	 * @param properties Lease timings and namespace
	 * @param nodeName this node: the holder identity
	 * @param onChange called (on an election thread) when a service is won or lost
	 */
	public LeaseElections(KubernetesClient client, L2AnnouncementProperties properties, String nodeName,
			Runnable onChange) {
		this.client = client;
		this.properties = properties;
		this.nodeName = nodeName;
		this.onChange = onChange;
		AtomicInteger threads = new AtomicInteger();
		this.executor = Executors.newFixedThreadPool(2, (runnable) -> {
			Thread thread = new Thread(runnable, "l2-lease-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Takes part in exactly these services' elections: starts the missing ones, leaves
	 * (releasing the Lease if held) those no longer wanted.
	 * @param services the services this node may announce
	 */
	@Override
	public synchronized void retain(Set<AnnouncedService> services) {
		for (AnnouncedService service : Set.copyOf(this.running.keySet())) {
			if (!services.contains(service)) {
				leave(service, true);
			}
		}
		for (AnnouncedService service : services) {
			CompletableFuture<?> election = this.running.get(service);
			// fabric8's elector, like client-go's, ends once it lost the Lease: compete
			// again
			if (election == null || election.isDone()) {
				this.wanted.add(service);
				this.running.put(service, join(service));
			}
		}
	}

	/**
	 * @return the services whose Lease this node holds now
	 */
	@Override
	public Set<AnnouncedService> held() {
		return Set.copyOf(this.held);
	}

	/**
	 * Leaves every election; the Leases are released when {@code releaseOnStop} is set,
	 * else they run out after {@code leaseDuration} as if the node had died.
	 */
	@Override
	public synchronized void leaveAll() {
		for (AnnouncedService service : Set.copyOf(this.running.keySet())) {
			leave(service, this.properties.releaseOnStop());
		}
	}

	@Override
	public void close() {
		leaveAll();
		this.executor.shutdownNow();
	}

	private CompletableFuture<?> join(AnnouncedService service) {
		LeaderElector elector = new LeaderElector(this.client, new LeaderElectionConfigBuilder()
			.withName(service.leaseName())
			.withLock(new LeaseLock(this.properties.leaseNamespace(), service.leaseName(), this.nodeName))
			.withLeaseDuration(this.properties.leaseDuration())
			.withRenewDeadline(this.properties.renewDeadline())
			.withRetryPeriod(this.properties.retryPeriod())
			.withReleaseOnCancel(false)
			.withLeaderCallbacks(new LeaderCallbacks(() -> changed(service, true), () -> changed(service, false),
					(holder) -> log.debug("Lease {} is held by {}", service.leaseName(), holder)))
			.build(), this.executor);
		log.debug("Competing for Lease {}/{}", this.properties.leaseNamespace(), service.leaseName());
		CompletableFuture<?> election = elector.start();
		election.whenComplete((result, failure) -> {
			// lost (or left): withdraw, and compete again if still wanted
			boolean wasHeld = this.held.remove(service);
			if (wasHeld || this.wanted.contains(service)) {
				this.onChange.run();
			}
		});
		return election;
	}

	private void leave(AnnouncedService service, boolean release) {
		this.wanted.remove(service);
		CompletableFuture<?> election = this.running.remove(service);
		if (election != null) {
			election.cancel(true);
		}
		if (this.held.remove(service)) {
			if (release) {
				release(service);
			}
			this.onChange.run();
		}
	}

	/**
	 * Gives the Lease up as client-go's {@code ReleaseOnCancel} does: no holder, and a
	 * one-second duration, so the next candidate need not wait out the full duration.
	 */
	private void release(AnnouncedService service) {
		try {
			this.client.leases()
				.inNamespace(this.properties.leaseNamespace())
				.withName(service.leaseName())
				.edit((lease) -> {
					if (lease.getSpec() != null && this.nodeName.equals(lease.getSpec().getHolderIdentity())) {
						lease.getSpec().setHolderIdentity(null);
						lease.getSpec().setLeaseDurationSeconds(1);
					}
					return lease;
				});
		}
		catch (RuntimeException ex) {
			log.warn("Releasing Lease {} failed (it runs out by itself): {}", service.leaseName(), ex.getMessage());
		}
	}

	private void changed(AnnouncedService service, boolean leading) {
		boolean changed = leading ? this.held.add(service) : this.held.remove(service);
		if (leading && !this.wanted.contains(service)) {
			// won just as it was left: give it straight back
			this.held.remove(service);
			return;
		}
		if (changed) {
			log.info("{} announcing {} (Lease {})", leading ? "Now" : "No longer", service, service.leaseName());
			this.onChange.run();
		}
	}

}
