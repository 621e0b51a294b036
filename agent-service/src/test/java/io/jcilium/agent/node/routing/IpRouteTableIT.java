package io.jcilium.agent.node.routing;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.common.net.Cidr;
import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jcilium.agent.node.routing.DirectRoutePlannerTest.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real kernel's main table, in a node namespace of this test's own. */
class IpRouteTableIT {

	private PodTopology node;

	private IpRouteTable table;

	@BeforeEach
	void createNode() {
		Prerequisites.require("root".equals(System.getProperty("user.name")) && Prerequisites.onPath("ip")
				&& Prerequisites.onPath("nsenter"), "IpRouteTableIT needs root, iproute2 and nsenter");
		this.node = new PodTopology().createNode();
		// An underlay link with the other nodes' addresses on-link.
		this.node.inNode("ip", "link", "add", "u0", "type", "veth", "peer", "name", "u1");
		this.node.inNode("ip", "addr", "add", "172.29.5.1/24", "dev", "u0");
		this.node.inNode("ip", "link", "set", "u0", "up");
		this.node.inNode("ip", "link", "set", "u1", "up");
		this.table = new IpRouteTable(List.of("nsenter", "--net=" + this.node.nodeNamespacePath(), "ip"),
				Duration.ofSeconds(30), "vx0");
	}

	@AfterEach
	void deleteNode() {
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void installsReplacesListsAndRemovesItsOwnRoutesOnly() throws Exception {
		// Someone else's route to a pod CIDR-like prefix: never listed, never touched.
		this.node.inNode("ip", "route", "add", "10.9.9.0/24", "via", "172.29.5.9");

		this.table.replace(route("10.244.1.0/24", "172.29.5.2"));
		this.table.replace(route("10.244.2.0/24", "172.29.5.3"));
		assertThat(this.table.installed()).containsExactlyInAnyOrder(route("10.244.1.0/24", "172.29.5.2"),
				route("10.244.2.0/24", "172.29.5.3"));

		this.table.replace(route("10.244.1.0/24", "172.29.5.4"));
		this.table.delete(route("10.244.2.0/24", "172.29.5.3"));

		assertThat(this.table.installed()).containsExactly(route("10.244.1.0/24", "172.29.5.4"));
		assertThat(this.node.inNode("ip", "route", "show", "10.244.1.0/24")).contains("via 172.29.5.4");
		assertThat(this.node.inNode("ip", "route", "show", "10.9.9.0/24")).contains("via 172.29.5.9");
	}

	@Test
	void aGatewayTheNodeCannotReachIsRefusedWithTheKernelsReason() throws Exception {
		assertThatThrownBy(() -> this.table.replace(route("10.244.3.0/24", "192.0.2.7")))
			.isInstanceOf(RouteException.class)
			.hasMessageContaining("10.244.3.0/24 via 192.0.2.7")
			.hasMessageContaining("invalid gateway");
		assertThat(this.table.installed()).isEmpty();
	}

	@Test
	void tunnelRoutesPointIntoTheTunnelDeviceAndReplaceNativeOnes() throws Exception {
		this.node.inNode("ip", "link", "add", "vx0", "type", "vxlan", "external", "dstport", "8472");
		this.node.inNode("ip", "link", "set", "vx0", "arp", "off", "up");
		this.table.replace(route("10.244.1.0/24", "172.29.5.2"));
		DirectRoute tunnelled = new DirectRoute(Cidr.parse("10.244.1.0/24"), InetAddress.getByName("172.29.5.2"),
				"vx0");

		// Read back without the device: a native route, so a node switched to tunnel
		// mode sees it differs from the plan and replaces it.
		assertThat(this.table.installed()).containsExactly(route("10.244.1.0/24", "172.29.5.2"));
		this.table.replace(tunnelled);

		assertThat(this.table.installed()).containsExactly(tunnelled);
		assertThat(this.node.inNode("ip", "route", "show", "10.244.1.0/24")).contains("dev vx0").contains("proto 198");
		this.table.delete(tunnelled);
		assertThat(this.table.installed()).isEmpty();
	}

	@Test
	void anIpv6PodCidrIsRoutedIntoTheTunnelDeviceWithoutANextHop() throws Exception {
		this.node.inNode("ip", "link", "add", "vx0", "type", "vxlan", "external", "dstport", "8472");
		this.node.inNode("ip", "link", "set", "vx0", "arp", "off", "addrgenmode", "none", "up");
		DirectRoute tunnelled = new DirectRoute(Cidr.parse("fd00:10:244:1::/64"), null, "vx0");

		this.table.replace(tunnelled);

		assertThat(this.table.installed()).containsExactly(tunnelled);
		assertThat(this.node.inNode("ip", "-6", "route", "show", "fd00:10:244:1::/64")).contains("dev vx0")
			.contains("proto 198")
			.doesNotContain("via");
		this.table.delete(tunnelled);
		assertThat(this.table.installed()).isEmpty();
	}

}
