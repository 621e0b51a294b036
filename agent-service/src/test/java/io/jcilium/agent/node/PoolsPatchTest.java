package io.jcilium.agent.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.jcilium.api.crd.v2.CiliumNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PoolsPatchTest {

	private static final Map<String, Object> GUARD = Map.of("op", "replace", "path", "/metadata/resourceVersion",
			"value", "41");

	private static final List<Map<String, Object>> REQUESTED = List
		.of(Map.of("pool", "default", "needed", Map.of("ipv4-addrs", 8)));

	@Test
	void aNodeWithoutSpecGetsTheWholePathInOneAdd() {
		CiliumNode node = node();

		assertThat(PoolsPatch.of(node, fields(REQUESTED, null))).containsExactly(GUARD, Map.of("op", "add", "path",
				"/spec", "value", Map.of("ipam", Map.of("pools", Map.of("requested", REQUESTED)))));
	}

	@Test
	void aNodeWithIpamButNoPoolsKeepsItsOtherIpamFields() {
		CiliumNode node = node();
		node.setSpec(new CiliumNode.Spec());
		node.getSpec().ipam = new CiliumNode.IpamSpec();

		assertThat(PoolsPatch.of(node, fields(REQUESTED, null))).containsExactly(GUARD,
				Map.of("op", "add", "path", "/spec/ipam/pools", "value", Map.of("requested", REQUESTED)));
	}

	@Test
	void presentFieldsAreReplacedOrRemovedAndAbsentOnesAdded() {
		CiliumNode node = node();
		node.setSpec(new CiliumNode.Spec());
		node.getSpec().ipam = new CiliumNode.IpamSpec();
		node.getSpec().ipam.pools = new CiliumNode.IpamPoolSpec();
		node.getSpec().ipam.pools.allocated = List.of(new CiliumNode.IpamPoolAllocation());

		assertThat(PoolsPatch.of(node, fields(REQUESTED, null))).containsExactly(GUARD,
				Map.of("op", "add", "path", "/spec/ipam/pools/requested", "value", REQUESTED),
				Map.of("op", "remove", "path", "/spec/ipam/pools/allocated"));
	}

	@Test
	void removingWhatIsAbsentWritesNothing() {
		CiliumNode node = node();
		node.setSpec(new CiliumNode.Spec());

		assertThat(PoolsPatch.of(node, fields(null, null))).isEmpty();
	}

	private static CiliumNode node() {
		CiliumNode node = new CiliumNode();
		node.setMetadata(new ObjectMetaBuilder().withName("node-1").withResourceVersion("41").build());
		return node;
	}

	private static Map<String, Object> fields(Object requested, Object allocated) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("requested", requested);
		fields.put("allocated", allocated);
		return fields;
	}

}
