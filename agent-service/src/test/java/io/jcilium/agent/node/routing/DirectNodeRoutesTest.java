package io.jcilium.agent.node.routing;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.jcilium.agent.node.routing.CiliumNodes.node;
import static io.jcilium.agent.node.routing.DirectRoutePlannerTest.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectNodeRoutesTest {

	private final Jobs jobs = new Jobs("test", 1);

	private final InMemoryRouteTable table = new InMemoryRouteTable();

	private final AtomicBoolean synced = new AtomicBoolean(true);

	private final DirectNodeRoutes routes = new DirectNodeRoutes(new DirectRoutePlanner("node-1"), this.table,
			this.synced::get, this.jobs, Duration.ofMinutes(1));

	private final ResourceEventHandler<CiliumNode> events = this.routes.handler();

	@AfterEach
	void close() {
		this.jobs.close();
	}

	@Test
	void aJoiningNodeGetsItsRouteAChangedAddressMovesItAndALeavingNodeTakesItAlong() throws Exception {
		this.events.onAdd(node("node-1", "172.29.0.11", "10.244.0.0/24"));
		this.events.onAdd(node("node-2", "172.29.0.12", "10.244.1.0/24"));
		this.routes.run();
		assertThat(this.table.routes).containsExactly(route("10.244.1.0/24", "172.29.0.12"));

		this.events.onAdd(node("node-3", "172.29.0.13", "10.244.2.0/24"));
		this.events.onUpdate(node("node-2", "172.29.0.12", "10.244.1.0/24"),
				node("node-2", "172.29.0.22", "10.244.1.0/24"));
		this.routes.run();
		assertThat(this.table.routes).containsExactlyInAnyOrder(route("10.244.1.0/24", "172.29.0.22"),
				route("10.244.2.0/24", "172.29.0.13"));

		this.events.onDelete(node("node-3", "172.29.0.13", "10.244.2.0/24"), false);
		this.routes.run();
		assertThat(this.table.routes).containsExactly(route("10.244.1.0/24", "172.29.0.22"));
	}

	@Test
	void aRouteLeftByAnEarlierRunForANodeGoneIsRemovedAndOneRemovedByHandIsRestored() throws Exception {
		this.table.routes.add(route("10.244.9.0/24", "172.29.0.19"));
		this.events.onAdd(node("node-2", "172.29.0.12", "10.244.1.0/24"));
		this.routes.run();
		this.table.routes.clear();
		this.routes.run();

		assertThat(this.table.routes).containsExactly(route("10.244.1.0/24", "172.29.0.12"));
	}

	@Test
	void touchesNoRouteBeforeTheNodeCacheIsSynced() throws Exception {
		// After a restart, an empty cache would read as "every node left".
		this.table.routes.add(route("10.244.1.0/24", "172.29.0.12"));
		this.synced.set(false);

		assertThatThrownBy(this.routes::run).hasMessageContaining("waiting for the CiliumNode cache");
		assertThat(this.table.routes).containsExactly(route("10.244.1.0/24", "172.29.0.12"));
	}

	@Test
	void aRefusedRouteFailsTheRunNamingItWhileTheOthersAreInstalled() throws Exception {
		this.table.refused = route("10.244.1.0/24", "172.29.0.12");
		this.events.onAdd(node("node-2", "172.29.0.12", "10.244.1.0/24"));
		this.events.onAdd(node("node-3", "172.29.0.13", "10.244.2.0/24"));

		assertThatThrownBy(this.routes::run).hasMessageContaining("10.244.1.0/24 via 172.29.0.12")
			.hasMessageContaining("Network is unreachable");
		assertThat(this.table.routes).containsExactly(route("10.244.2.0/24", "172.29.0.13"));
	}

	@Test
	void reportsTheNodesItSkipsAndWhy() throws Exception {
		this.events.onAdd(node("node-2", null, "10.244.1.0/24"));
		this.routes.run();

		assertThat(this.table.routes).isEmpty();
		assertThat(this.routes.skipped()).containsOnlyKeys("node-2");
	}

	/** The kernel's table reduced to what the feature sees: one route per destination. */
	static final class InMemoryRouteTable implements RouteTable {

		final Set<DirectRoute> routes = new HashSet<>();

		DirectRoute refused;

		@Override
		public Set<DirectRoute> installed() {
			return Set.copyOf(this.routes);
		}

		@Override
		public void replace(DirectRoute route) {
			if (route.equals(this.refused)) {
				throw new RouteException("installing the route " + route + " failed: Network is unreachable");
			}
			this.routes.removeIf((r) -> r.destination().equals(route.destination()));
			this.routes.add(route);
		}

		@Override
		public void delete(DirectRoute route) {
			this.routes.remove(route);
		}

	}

}
