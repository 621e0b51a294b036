package io.jcilium.agent.service.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jcilium.agent.service.healthcheck.HealthCheck;
import io.jcilium.agent.service.healthcheck.HealthCheckServers;
import io.jcilium.agent.service.lb.LbMapFullException;
import io.jcilium.agent.service.lb.LbProgrammer;
import io.jcilium.agent.service.lb.ServiceName;
import io.jcilium.agent.service.translate.NodeView;
import io.jcilium.agent.service.translate.ServiceTranslator;
import io.jcilium.agent.service.translate.Translation;

/**
 * Level-triggered reconciler of services into the LB maps: an event marks its service
 * dirty and triggers the job {@value #JOB}, which translates each dirty service from the
 * informers' caches as they are now and hands it to the {@link LbProgrammer} (only that
 * service's entries change). Every {@code resync} all services are marked, repairing
 * anything missed. A change that does not fit the maps is refused with its reason
 * ({@link #refused()}) and the service keeps what it had; any other failure leaves the
 * service dirty and the job retries with backoff. Each service's health-check node port
 * (if any) is kept in step with its endpoints on the same pass.
 * <p>
 * The programmer first takes over what the LB maps hold (a restarted agent keeps serving
 * its services); the first pass over every service after the caches have synced, once it
 * succeeds, ends that: restored entries no service claimed are deleted
 * ({@link LbProgrammer#finishRestore()}).
 */
public final class ServiceSync {

	public static final String JOB = "service-sync";

	static final Backoff RETRY = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30));

	private static final Logger log = LoggerFactory.getLogger(ServiceSync.class);

	private final LbProgrammer programmer;

	private final ServiceCache cache;

	private final Supplier<NodeView> node;

	private final Duration resync;

	private final Set<ServiceName> dirty = new LinkedHashSet<>();

	private final Map<ServiceName, String> refused = new LinkedHashMap<>();

	private final Map<ServiceName, List<String>> problems = new LinkedHashMap<>();

	private final Job job;

	private final HealthCheckServers healthChecks;

	private long lastFullPassNanos = System.nanoTime();

	/**
	 * @param programmer writes into the LB maps
	 * @param cache the Services and EndpointSlices known
	 * @param node this node's name and addresses now
	 * @param jobs where the job lives
	 * @param resync how often every service is reconciled regardless of events
	 */
	public ServiceSync(LbProgrammer programmer, ServiceCache cache, Supplier<NodeView> node, Jobs jobs,
			Duration resync) {
		this(programmer, cache, node, jobs, resync, null);
	}

	/**
	 * @param healthChecks the health-check node port servers kept with the services, or
	 * {@code null} for none
	 */
	public ServiceSync(LbProgrammer programmer, ServiceCache cache, Supplier<NodeView> node, Jobs jobs, Duration resync,
			HealthCheckServers healthChecks) {
		this.healthChecks = healthChecks;
		this.programmer = programmer;
		this.cache = cache;
		this.node = node;
		this.resync = resync;
		this.job = jobs.periodic(JOB, resync, RETRY, this::run);
	}

	/**
	 * Marks a service for reconciliation and triggers the job.
	 * @param name the service
	 */
	public void changed(ServiceName name) {
		synchronized (this.dirty) {
			this.dirty.add(name);
		}
		this.job.trigger();
	}

	/**
	 * Marks every service (node addresses changed: NodePort frontends follow).
	 */
	public void changedAll() {
		markAll();
		this.job.trigger();
	}

	private void markAll() {
		synchronized (this.dirty) {
			this.dirty.addAll(this.cache.serviceNames());
			this.dirty.addAll(this.programmer.services());
		}
	}

	/**
	 * The job that reconciles the dirty services, started with the agent by a
	 * {@code JobLifecycle}.
	 * @return the job
	 */
	public Job job() {
		return this.job;
	}

	/**
	 * Services whose last change was refused, and why.
	 * @return service -> reason
	 */
	public Map<ServiceName, String> refused() {
		synchronized (this.refused) {
			return Map.copyOf(this.refused);
		}
	}

	private void run() {
		LbProgrammer current = this.programmer;
		current.restore();
		boolean finishingRestore = !current.restoreStatus().synced() && this.cache.hasSynced();
		if (finishingRestore) {
			markAll();
		}
		if (System.nanoTime() - this.lastFullPassNanos >= this.resync.toNanos()) {
			this.lastFullPassNanos = System.nanoTime();
			// this pass takes them all: triggering itself would only run it again
			markAll();
		}
		List<ServiceName> batch;
		synchronized (this.dirty) {
			batch = new ArrayList<>(this.dirty);
			this.dirty.clear();
		}
		List<ServiceName> failed = new ArrayList<>();
		RuntimeException firstFailure = null;
		for (ServiceName name : batch) {
			try {
				sync(current, name);
			}
			catch (RuntimeException ex) {
				failed.add(name);
				firstFailure = (firstFailure != null) ? firstFailure : ex;
			}
		}
		if (firstFailure != null) {
			synchronized (this.dirty) {
				this.dirty.addAll(failed);
			}
			throw new IllegalStateException(failed.size() + " service(s) not programmed, first " + failed.get(0) + ": "
					+ firstFailure.getMessage(), firstFailure);
		}
		if (finishingRestore) {
			int removed = current.finishRestore();
			log.info("Services synced: {} service(s) programmed, {} restored frontend(s) no service claimed removed",
					current.services().size(), removed);
		}
	}

	private void sync(LbProgrammer current, ServiceName name) {
		Service service = this.cache.service(name);
		if (service == null) {
			current.remove(name);
			healthCheck(name, null);
			forget(name);
			return;
		}
		List<EndpointSlice> slices = this.cache.slices(name);
		NodeView here = this.node.get();
		healthCheck(name, HealthCheck.of(service, slices, here.nodeName()));
		Translation translation = ServiceTranslator.translate(service, slices, here);
		report(name, translation.problems());
		try {
			current.apply(name, translation.frontends());
			synchronized (this.refused) {
				this.refused.remove(name);
			}
		}
		catch (LbMapFullException ex) {
			synchronized (this.refused) {
				if (!ex.getMessage().equals(this.refused.put(name, ex.getMessage()))) {
					log.warn("Service {} not programmed: {}", name, ex.getMessage());
				}
			}
		}
	}

	private void healthCheck(ServiceName name, HealthCheck check) {
		if (this.healthChecks != null) {
			this.healthChecks.update(name, check);
		}
	}

	private void report(ServiceName name, List<String> found) {
		List<String> before = this.problems.put(name, found);
		if (!found.isEmpty() && !found.equals(before)) {
			log.warn("Service {}: {}", name, String.join("; ", found));
		}
	}

	private void forget(ServiceName name) {
		this.problems.remove(name);
		synchronized (this.refused) {
			this.refused.remove(name);
		}
	}

	/**
	 * The informers' caches as the reconciler reads them.
	 */
	public interface ServiceCache {

		/**
		 * @param name the service
		 * @return the Service, or null if gone
		 */
		Service service(ServiceName name);

		/**
		 * @param name the service
		 * @return its EndpointSlices ({@code kubernetes.io/service-name} label)
		 */
		List<EndpointSlice> slices(ServiceName name);

		Collection<ServiceName> serviceNames();

		/**
		 * @return whether Services and EndpointSlices have been listed once (before that,
		 * a service missing from the cache may still exist)
		 */
		boolean hasSynced();

	}

}
