package io.jcilium.agent.node.routing;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.net.Cidr;
import org.junit.jupiter.api.Test;

import static io.jcilium.agent.node.routing.CiliumNodes.node;
import static org.assertj.core.api.Assertions.assertThat;

class DirectRoutePlannerTest {

	private final DirectRoutePlanner planner = new DirectRoutePlanner("node-1");

	@Test
	void routesEveryOtherNodesPodCidrsViaItsInternalIp() throws Exception {
		DirectRoutePlanner.Plan plan = this.planner.plan(List.of(node("node-1", "172.29.0.11", "10.244.0.0/24"),
				node("node-2", "172.29.0.12", "10.244.1.0/24", "10.245.7.0/24"),
				node("node-3", "172.29.0.13", "10.244.2.0/24")));

		assertThat(plan.routes()).containsExactlyInAnyOrder(route("10.244.1.0/24", "172.29.0.12"),
				route("10.245.7.0/24", "172.29.0.12"), route("10.244.2.0/24", "172.29.0.13"));
		assertThat(plan.skipped()).isEmpty();
	}

	@Test
	void routesEveryMultiPoolBlockOfOtherNodesAsTheirPodCidrs() throws Exception {
		CiliumNode pools = node("node-2", "172.29.0.12");
		pools.getSpec().ipam = new CiliumNode.IpamSpec();
		pools.getSpec().ipam.pools = new CiliumNode.IpamPoolSpec();
		pools.getSpec().ipam.pools.allocated = List.of(allocation("default", "10.10.0.0/27", "10.10.0.32/27"),
				allocation("blue", "10.20.0.0/27"));

		DirectRoutePlanner.Plan plan = this.planner
			.plan(List.of(node("node-1", "172.29.0.11", "10.244.0.0/24"), pools));

		assertThat(plan.routes()).containsExactlyInAnyOrder(route("10.10.0.0/27", "172.29.0.12"),
				route("10.10.0.32/27", "172.29.0.12"), route("10.20.0.0/27", "172.29.0.12"));
		assertThat(plan.skipped()).isEmpty();
	}

	private static CiliumNode.IpamPoolAllocation allocation(String pool, String... cidrs) {
		CiliumNode.IpamPoolAllocation allocation = new CiliumNode.IpamPoolAllocation();
		allocation.pool = pool;
		allocation.cidrs = List.of(cidrs);
		return allocation;
	}

	@Test
	void skipsAWholeNodeWhoseObjectLacksAnAddressOrACidrOrHasAMalformedOne() throws Exception {
		DirectRoutePlanner.Plan plan = this.planner
			.plan(List.of(node("node-1", "172.29.0.11", "10.244.0.0/24"), node("no-address", null, "10.244.1.0/24"),
					node("no-cidr", "172.29.0.13"), node("malformed", "172.29.0.14", "10.244.3.0/24", "10.244.4.0/33"),
					node("no-v6-address", "172.29.0.15", "fd00:10:244:5::/64"),
					node("good", "172.29.0.16", "10.244.6.0/24")));

		// Only the good node is routed: none of the malformed node's CIDRs, not even its
		// valid one.
		assertThat(plan.routes()).containsExactly(route("10.244.6.0/24", "172.29.0.16"));
		assertThat(plan.skipped()).containsOnlyKeys("no-address", "no-cidr", "malformed", "no-v6-address");
		assertThat(plan.skipped().get("no-address")).contains("no InternalIP");
		assertThat(plan.skipped().get("no-cidr")).contains("no pod CIDR");
		assertThat(plan.skipped().get("malformed")).contains("10.244.4.0/33");
		assertThat(plan.skipped().get("no-v6-address")).contains("no InternalIP of the family");
	}

	@Test
	void skipsNodesWhosePodCidrsOverlapThisNodesOrEachOthers() throws Exception {
		DirectRoutePlanner.Plan plan = this.planner.plan(List.of(node("node-1", "172.29.0.11", "10.244.0.0/24"),
				node("steals-local", "172.29.0.12", "10.244.0.128/25"), node("a", "172.29.0.13", "10.244.8.0/22"),
				node("b", "172.29.0.14", "10.244.9.0/24"), node("fine", "172.29.0.15", "10.244.20.0/24")));

		assertThat(plan.routes()).containsExactly(route("10.244.20.0/24", "172.29.0.15"));
		assertThat(plan.skipped()).containsOnlyKeys("steals-local", "a", "b");
		assertThat(plan.skipped().get("steals-local")).contains("overlaps this node's 10.244.0.0/24");
		assertThat(plan.skipped().get("a")).contains("of node b");
	}

	@Test
	void routesIpv6PodCidrsViaTheNodesIpv6Address() throws Exception {
		CiliumNode dualStack = node("node-2", "172.29.0.12", "10.244.1.0/24", "fd00:10:244:1::/64");
		CiliumNode.NodeAddress v6 = new CiliumNode.NodeAddress();
		v6.type = "InternalIP";
		v6.ip = "fd00:29::12";
		dualStack.getSpec().addresses.add(v6);

		assertThat(this.planner.plan(List.of(dualStack)).routes())
			.isEqualTo(Set.of(route("10.244.1.0/24", "172.29.0.12"), route("fd00:10:244:1::/64", "fd00:29::12")));
	}

	@Test
	void inTunnelModeEveryRoutePointsIntoTheTunnelDeviceIpv6PodCidrsToo() throws Exception {
		DirectRoutePlanner tunnel = new DirectRoutePlanner("node-1", "cilium_vxlan");
		CiliumNode dualStack = node("node-3", "172.29.0.13", "10.244.2.0/24", "fd00:10:244:2::/64");
		CiliumNode.NodeAddress v6 = new CiliumNode.NodeAddress();
		v6.type = "InternalIP";
		v6.ip = "fd00:29::13";
		// The IPv6 InternalIP listed first: the tunnel endpoint is still the IPv4 one.
		dualStack.getSpec().addresses.add(0, v6);

		DirectRoutePlanner.Plan plan = tunnel.plan(List.of(node("node-1", "172.29.0.11", "10.244.0.0/24"),
				node("node-2", "172.29.0.12", "10.244.1.0/24"), dualStack));

		// Before, the IPv6 CIDR skipped the whole dual-stack node: not even its IPv4 pods
		// were reachable.
		assertThat(plan.routes()).containsExactlyInAnyOrder(
				new DirectRoute(Cidr.parse("10.244.1.0/24"), InetAddress.getByName("172.29.0.12"), "cilium_vxlan"),
				new DirectRoute(Cidr.parse("10.244.2.0/24"), InetAddress.getByName("172.29.0.13"), "cilium_vxlan"),
				new DirectRoute(Cidr.parse("fd00:10:244:2::/64"), null, "cilium_vxlan"));
		assertThat(plan.skipped()).isEmpty();
	}

	@Test
	void inTunnelModeANodeWithoutAnIpv4InternalIpHasNoTunnelEndpointAndIsSkipped() throws Exception {
		DirectRoutePlanner tunnel = new DirectRoutePlanner("node-1", "cilium_vxlan");
		CiliumNode v6Only = node("node-2", "fd00:29::12", "fd00:10:244:1::/64");

		DirectRoutePlanner.Plan plan = tunnel.plan(List.of(v6Only));

		assertThat(plan.routes()).isEmpty();
		assertThat(plan.skipped().get("node-2")).contains("no IPv4 InternalIP");
	}

	static DirectRoute route(String cidr, String gateway) throws Exception {
		return new DirectRoute(Cidr.parse(cidr), InetAddress.getByName(gateway));
	}

}
