package io.jcilium.agent.datapath.nat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.jcilium.agent.node.NodeCidrSource;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.net.Cidr;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterCidrSyncTest {

	private final Jobs jobs = new Jobs("test", 1);

	private final AtomicBoolean synced = new AtomicBoolean(true);

	private final TreeSet<Cidr> trie = new TreeSet<>();

	private String localCidr;

	private final ClusterCidrSync sync = new ClusterCidrSync(new NodeCidrSource() {

		@Override
		public Optional<String> podCidr() {
			return Optional.ofNullable(ClusterCidrSyncTest.this.localCidr);
		}

		@Override
		public boolean assignedByCluster() {
			return true;
		}

	}, this.synced::get, (prefixes, removeOthers) -> {
		if (removeOthers) {
			this.trie.clear();
		}
		this.trie.addAll(prefixes);
	}, this.jobs, Duration.ofMinutes(1));

	private final ResourceEventHandler<CiliumNode> events = this.sync.handler();

	@AfterEach
	void close() {
		this.jobs.close();
	}

	@Test
	void everyNodesPodCidrsAndPoolBlocksAreWrittenAndALeavingNodeTakesItsOwnAlong() throws Exception {
		this.events.onAdd(node("node-1", List.of("10.244.0.0/24"), List.of()));
		this.events.onAdd(node("node-2", List.of("10.244.1.0/24", "fd00:244:1::/64"), List.of("10.99.3.0/27")));
		this.sync.run();
		assertThat(this.trie).extracting(Cidr::toString)
			.containsExactlyInAnyOrder("10.244.0.0/24", "10.244.1.0/24", "10.99.3.0/27");

		this.events.onDelete(node("node-2", List.of("10.244.1.0/24"), List.of("10.99.3.0/27")), false);
		this.sync.run();
		assertThat(this.trie).extracting(Cidr::toString).containsExactly("10.244.0.0/24");
	}

	@Test
	void thisNodesOwnPodCidrCountsWithoutAnyCiliumNode() throws Exception {
		this.localCidr = "10.0.3.0/24";
		this.sync.run();
		assertThat(this.trie).extracting(Cidr::toString).containsExactly("10.0.3.0/24");
	}

	@Test
	void aMalformedCidrIsSkippedAndTheRestWritten() throws Exception {
		this.events.onAdd(node("node-2", List.of("10.244.1.0/33", "10.244.2.0/24"), List.of()));
		this.sync.run();
		assertThat(this.trie).extracting(Cidr::toString).containsExactly("10.244.2.0/24");
	}

	@Test
	void onlyAddsBeforeTheNodeCacheIsSynced() {
		// After a restart, a partial cache would read as "those nodes left".
		this.trie.add(Cidr.parse("10.244.7.0/24"));
		this.synced.set(false);
		this.events.onAdd(node("node-2", List.of("10.244.1.0/24"), List.of()));

		assertThatThrownBy(this.sync::run).hasMessageContaining("waiting for the CiliumNode cache");
		assertThat(this.trie).extracting(Cidr::toString).containsExactlyInAnyOrder("10.244.1.0/24", "10.244.7.0/24");
	}

	private static CiliumNode node(String name, List<String> podCidrs, List<String> poolBlocks) {
		CiliumNode node = new CiliumNode();
		node.setMetadata(new ObjectMetaBuilder().withName(name).build());
		CiliumNode.Spec spec = new CiliumNode.Spec();
		spec.ipam = new CiliumNode.IpamSpec();
		spec.ipam.podCIDRs = new ArrayList<>(podCidrs);
		if (!poolBlocks.isEmpty()) {
			spec.ipam.pools = new CiliumNode.IpamPoolSpec();
			CiliumNode.IpamPoolAllocation allocation = new CiliumNode.IpamPoolAllocation();
			allocation.pool = "blue";
			allocation.cidrs = new ArrayList<>(poolBlocks);
			spec.ipam.pools.allocated = List.of(allocation);
		}
		node.setSpec(spec);
		return node;
	}

}
