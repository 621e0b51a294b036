package io.jcilium.agent.l2announce;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lease election per service this node may announce, as upstream's announcer runs one
 * leader election per service, each a {@link LeaseCandidate}: the holder renews every
 * {@code retryPeriod} and gives the service up when it could not renew for
 * {@code renewDeadline}; another candidate takes the Lease the moment
 * {@code leaseDuration} has passed without renewal. One watch on the namespace's Leases
 * tells every candidate of its Lease's renewals. The holder identity is the node name.
 * Every change of what this node holds calls {@code onChange}.
 */
public final class LeaseElections implements L2Announcer.Elections, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LeaseElections.class);

	private final LeaseStore store;

	private final L2AnnouncementProperties properties;

	private final String nodeName;

	private final Runnable onChange;

	private final ScheduledThreadPoolExecutor scheduler;

	private final Map<AnnouncedService, LeaseCandidate> candidates = new ConcurrentHashMap<>();

	private final Map<String, LeaseCandidate> byLease = new ConcurrentHashMap<>();

	private AutoCloseable watch;

	/**
	 * @param client the Kubernetes client
	 * @param properties Lease timings and namespace
	 * @param nodeName this node: the holder identity
	 * @param onChange called (on an election thread) when a service is won or lost
	 */
	public LeaseElections(KubernetesClient client, L2AnnouncementProperties properties, String nodeName,
			Runnable onChange) {
		this(new KubernetesLeaseStore(client, properties.leaseNamespace()), properties, nodeName, onChange);
	}

	LeaseElections(LeaseStore store, L2AnnouncementProperties properties, String nodeName, Runnable onChange) {
		this.store = store;
		this.properties = properties;
		this.nodeName = nodeName;
		this.onChange = onChange;
		AtomicInteger threads = new AtomicInteger();
		// two threads: one slow API call must not hold up every other Lease's renewal
		this.scheduler = new ScheduledThreadPoolExecutor(2, (runnable) -> {
			Thread thread = new Thread(runnable, "l2-lease-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Takes part in exactly these services' elections: starts the missing ones, leaves
	 * (releasing the Lease if held) those no longer wanted.
	 * @param services the services this node may announce
	 */
	@Override
	public synchronized void retain(Set<AnnouncedService> services) {
		if (this.watch == null) {
			startWatch();
		}
		for (AnnouncedService service : Set.copyOf(this.candidates.keySet())) {
			if (!services.contains(service)) {
				leave(service, true);
			}
		}
		for (AnnouncedService service : services) {
			if (!this.candidates.containsKey(service)) {
				LeaseCandidate candidate = new LeaseCandidate(this.store, service.leaseName(), this.nodeName,
						this.properties, this.scheduler, System::nanoTime, this.onChange);
				this.candidates.put(service, candidate);
				this.byLease.put(service.leaseName(), candidate);
				log.debug("Competing for Lease {}/{}", this.properties.leaseNamespace(), service.leaseName());
				candidate.start();
			}
		}
	}

	/**
	 * @return the services whose Lease this node holds now
	 */
	@Override
	public Set<AnnouncedService> held() {
		return this.candidates.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().leading())
			.map(Map.Entry::getKey)
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Leaves every election; the Leases are released when {@code releaseOnStop} is set,
	 * else they run out after {@code leaseDuration} as if the node had died.
	 */
	@Override
	public synchronized void leaveAll() {
		for (AnnouncedService service : Set.copyOf(this.candidates.keySet())) {
			leave(service, this.properties.releaseOnStop());
		}
	}

	@Override
	public synchronized void close() {
		leaveAll();
		if (this.watch != null) {
			try {
				this.watch.close();
			}
			catch (Exception ex) {
				log.debug("Closing the Lease watch: {}", ex.getMessage());
			}
			this.watch = null;
		}
		this.scheduler.shutdownNow();
	}

	private void startWatch() {
		try {
			this.watch = this.store.watch(this::observed);
		}
		catch (RuntimeException ex) {
			// the candidates still read the Lease before every decision; without the
			// watch they only see renewals later, so a takeover comes later
			log.warn("Watching the Leases in {} failed (retried on the next run): {}", this.properties.leaseNamespace(),
					ex.getMessage());
		}
	}

	private void observed(String lease, LeaseRecord record) {
		LeaseCandidate candidate = this.byLease.get(lease);
		if (candidate != null) {
			candidate.observe(record);
		}
	}

	private void leave(AnnouncedService service, boolean release) {
		LeaseCandidate candidate = this.candidates.remove(service);
		if (candidate != null) {
			this.byLease.remove(service.leaseName(), candidate);
			candidate.stop(release);
		}
	}

}
