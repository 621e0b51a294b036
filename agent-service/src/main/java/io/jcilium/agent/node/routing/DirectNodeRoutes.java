package io.jcilium.agent.node.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
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
 * The {@value #JOB} job: level-triggered, it plans the routes from every CiliumNode known
 * and converges the kernel's routes of this feature to them (installs the missing,
 * replaces a changed gateway, removes those of nodes gone), so a joining or leaving node
 * converges as soon as its CiliumNode event arrives. Every CiliumNode event triggers it;
 * a sweep every resync interval repairs a route someone removed. It waits for the
 * CiliumNode cache to be synced: planning from an empty cache after a restart would
 * remove every route and cut this node's pods off the others. A failed route fails the
 * run, which retries with backoff.
 */
final class DirectNodeRoutes implements SmartLifecycle {

	static final String JOB = "direct-node-routes";

	/** After a failed run: 200 ms doubling to 30 s, with jitter. */
	static final Backoff RETRY = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

	private static final Logger logger = LoggerFactory.getLogger(DirectNodeRoutes.class);

	private final Map<String, CiliumNode> nodes = new ConcurrentHashMap<>();

	private final DirectRoutePlanner planner;

	private final RouteTable table;

	private final BooleanSupplier synced;

	private final Job job;

	private volatile Map<String, String> skipped = Map.of();

	private volatile boolean running;

	/**
	 * @param planner plans from the CiliumNodes
	 * @param table the kernel's routes of this feature
	 * @param synced whether the CiliumNode cache holds every node yet
	 * @param jobs where the job lives
	 * @param resync interval of the repairing sweep
	 */
	DirectNodeRoutes(DirectRoutePlanner planner, RouteTable table, BooleanSupplier synced, Jobs jobs, Duration resync) {
		this.planner = planner;
		this.table = table;
		this.synced = synced;
		this.job = jobs.periodic(JOB, resync, RETRY, this::run);
	}

	ResourceEventHandler<CiliumNode> handler() {
		return LevelTriggered.handler((node) -> {
			this.nodes.put(node.getMetadata().getName(), node);
			request();
		}, (node) -> {
			this.nodes.remove(node.getMetadata().getName());
			request();
		});
	}

	/**
	 * The nodes the last run left without routes, and why.
	 * @return node name to reason
	 */
	Map<String, String> skipped() {
		return this.skipped;
	}

	private void request() {
		if (this.running) {
			this.job.trigger();
		}
	}

	void run() {
		if (!this.synced.getAsBoolean()) {
			throw new IllegalStateException("waiting for the CiliumNode cache to sync before changing any route");
		}
		DirectRoutePlanner.Plan plan = this.planner.plan(List.copyOf(this.nodes.values()));
		reportSkipped(plan.skipped());
		Set<DirectRoute> installed = this.table.installed();
		Set<Cidr> planned = plan.routes().stream().map(DirectRoute::destination).collect(Collectors.toSet());
		List<String> failures = new ArrayList<>();
		for (DirectRoute route : plan.routes()) {
			if (!installed.contains(route)) {
				apply(() -> this.table.replace(route), failures, "route " + route + " installed");
			}
		}
		for (DirectRoute route : installed) {
			// A destination still planned was replaced above with its new gateway.
			if (!planned.contains(route.destination())) {
				apply(() -> this.table.delete(route), failures,
						"route " + route + " removed: no node has that pod CIDR any more");
			}
		}
		if (!failures.isEmpty()) {
			throw new IllegalStateException("routes to other nodes not converged: " + String.join("; ", failures));
		}
	}

	private static void apply(Runnable change, List<String> failures, String done) {
		try {
			change.run();
			logger.info(done);
		}
		catch (RouteException ex) {
			failures.add(ex.getMessage());
		}
	}

	private void reportSkipped(Map<String, String> now) {
		if (!now.equals(this.skipped)) {
			now.forEach((node, reason) -> {
				if (!reason.equals(this.skipped.get(node))) {
					logger.warn("node {} gets no route: {}", node, reason);
				}
			});
			this.skipped = now;
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
