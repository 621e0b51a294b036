package io.jcilium.agent.node;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.jcilium.agent.ipam.PodIpAllocation;
import io.jcilium.agent.ipam.PodIpOwner;
import io.jcilium.agent.ipam.PodIpSpace;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultiPoolNodeTest {

	private final Jobs jobs = new Jobs("test", 1);

	private final List<List<Map<String, Object>>> patches = new ArrayList<>();

	private final MultiPoolNode pools = new MultiPoolNode("node-1", Map.of("default", 2), Duration.ofMillis(100),
			this.patches::add, this.jobs, Duration.ofMinutes(5));

	@AfterEach
	void close() {
		this.jobs.close();
	}

	@Test
	void noAddressAndNoWriteBeforeThisNodesCiliumNodeIsSeen() {
		this.pools.handler().onAdd(node("node-2", Map.of("default", List.of("10.10.0.0/28")), Map.of()));
		this.pools.run();

		assertThat(this.patches).isEmpty();
		assertThatThrownBy(this.pools::awaitSpace).isInstanceOf(PodCidrNotAssignedException.class)
			.hasMessageContaining("no CiliumNode node-1");
	}

	@Test
	void requestsWhatItsPodsNeedAndGivesBackTheBlockOfAPoolNoPodUsesAnyMore() throws Exception {
		this.pools.handler()
			.onAdd(node("node-1", Map.of("default", List.of("10.10.0.0/28"), "blue", List.of("10.20.0.0/28")),
					Map.of("default", 16)));
		PodIpSpace space = this.pools.awaitSpace();
		PodIpAllocation db = space.allocate(new PodIpOwner("db", "eth0"), null, "blue");
		assertThat(db.ip()).isEqualTo(InetAddress.getByName("10.20.0.2"));

		this.pools.run();
		// Against the version seen, and only the field that changed.
		assertThat(this.patches).singleElement()
			.isEqualTo(List.of(Map.of("op", "replace", "path", "/metadata/resourceVersion", "value", "7"),
					Map.of("op", "replace", "path", "/spec/ipam/pools/requested", "value",
							List.of(request("blue", 16), request("default", 16)))));

		// The CiliumNode now says what was written.
		this.pools.handler()
			.onUpdate(null, node("node-1", Map.of("default", List.of("10.10.0.0/28"), "blue", List.of("10.20.0.0/28")),
					Map.of("default", 16, "blue", 16)));
		space.release(db.owner());
		this.patches.clear();
		this.pools.run();

		// blue leaves requested and allocated in one write; default stays as it was.
		assertThat(this.patches).singleElement()
			.isEqualTo(List.of(Map.of("op", "replace", "path", "/metadata/resourceVersion", "value", "7"),
					Map.of("op", "replace", "path", "/spec/ipam/pools/requested", "value",
							List.of(request("default", 16))),
					Map.of("op", "replace", "path", "/spec/ipam/pools/allocated", "value",
							List.of(Map.of("pool", "default", "cidrs", List.of("10.10.0.0/28"))))));
	}

	private static Map<String, Object> request(String pool, int addresses) {
		return Map.of("pool", pool, "needed", Map.of("ipv4-addrs", addresses));
	}

	private static CiliumNode node(String name, Map<String, List<String>> allocated, Map<String, Integer> requested) {
		CiliumNode node = new CiliumNode();
		node.setMetadata(new ObjectMetaBuilder().withName(name).withResourceVersion("7").build());
		node.setSpec(new CiliumNode.Spec());
		node.getSpec().ipam = new CiliumNode.IpamSpec();
		node.getSpec().ipam.pools = new CiliumNode.IpamPoolSpec();
		node.getSpec().ipam.pools.allocated = new ArrayList<>();
		allocated.forEach((pool, cidrs) -> {
			CiliumNode.IpamPoolAllocation allocation = new CiliumNode.IpamPoolAllocation();
			allocation.pool = pool;
			allocation.cidrs = cidrs;
			node.getSpec().ipam.pools.allocated.add(allocation);
		});
		node.getSpec().ipam.pools.requested = new ArrayList<>();
		requested.forEach((pool, addresses) -> {
			CiliumNode.IpamPoolRequest request = new CiliumNode.IpamPoolRequest();
			request.pool = pool;
			request.needed = new CiliumNode.IpamPoolDemand();
			request.needed.ipv4Addrs = addresses;
			node.getSpec().ipam.pools.requested.add(request);
		});
		return node;
	}

}
