package io.jcilium.agent.node;

import java.time.Duration;
import java.util.List;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.api.crd.v2.CiliumEndpoint;
import io.jcilium.api.crd.v2.CiliumNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.k8s.Recorders.RecordingIpcache;

import static org.assertj.core.api.Assertions.assertThat;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.Recorders;

/**
 * Nodes and other nodes' endpoints from the API server become ipcache entries with
 * upstream's identities: this node's addresses {@code host}, other nodes' addresses
 * {@code remote-node}, their pod CIDRs {@code world} through the tunnel to them, their
 * pods their own identities; and this node's CiliumNode gives the pod CIDR.
 */
@EnableKubernetesMockClient(crud = true)
class NodeIpcacheIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void nodesAndRemoteEndpointsReachTheIpcacheAndLeaveIt() {
		MockCluster.runner(client).run((context) -> {
			RecordingIpcache ipcache = context.getBean(RecordingIpcache.class);
			NodeCidrSource cidrs = context.getBean(NodeCidrSource.class);
			// No CiliumNode yet: no CIDR, not the configured one (every node's default).
			assertThat(cidrs.podCidr()).isEmpty();
			assertThat(cidrs.assignedByCluster()).isFalse();

			MockCluster.apply(client, "node-node-1.yaml", Node.class);
			MockCluster.apply(client, "ciliumnode-node-1.yaml", CiliumNode.class);
			MockCluster.apply(client, "ciliumnode-node-2.yaml", CiliumNode.class);
			// A node's entries reach the ipcache one by one: wait for each one asserted.
			List<String> entries = List.of("192.168.56.11", "10.0.1.1", "192.168.56.12", "10.0.2.1", "10.0.2.200",
					"10.0.2.0/24");
			Recorders.await(TIMEOUT, () -> entries.stream().allMatch(ipcache::has), ipcache);
			Recorders.await(TIMEOUT, cidrs::assignedByCluster, ipcache);
			assertThat(cidrs.podCidr()).contains("10.0.1.0/24");

			// This node: host.
			assertThat(ipcache.get("192.168.56.11")).isEqualTo("1");
			assertThat(ipcache.get("10.0.1.1")).isEqualTo("1");
			assertThat(ipcache.has("10.0.1.0/24")).isFalse();
			// The other node: remote-node, health, and its pod CIDR as world via its IP.
			assertThat(ipcache.get("192.168.56.12")).isEqualTo("6");
			assertThat(ipcache.get("10.0.2.1")).isEqualTo("6 via 192.168.56.12");
			assertThat(ipcache.get("10.0.2.200")).isEqualTo("4 via 192.168.56.12");
			assertThat(ipcache.get("10.0.2.0/24")).isEqualTo("2 via 192.168.56.12");

			// The local endpoint first: the informer delivers in order, so once the
			// remote one (applied after it) is in the ipcache, the local one was seen.
			MockCluster.apply(client, "cep-local.yaml", CiliumEndpoint.class);
			MockCluster.apply(client, "cep-remote.yaml", CiliumEndpoint.class);
			Recorders.await(TIMEOUT, () -> ipcache.has("10.0.2.15"), ipcache);
			assertThat(ipcache.get("10.0.2.15")).isEqualTo("48211 via 192.168.56.12");
			assertThat(ipcache.has("10.0.1.20")).as("this node's own endpoint").isFalse();

			client.resources(CiliumEndpoint.class).inNamespace("team-a").withName("api").delete();
			Recorders.await(TIMEOUT, () -> !ipcache.has("10.0.2.15"), ipcache);
			client.resources(CiliumNode.class).withName("node-2").delete();
			// The other node's entries go one by one: wait for all of them.
			List<String> removals = List.of("remove 192.168.56.12/32", "remove 10.0.2.1/32", "remove 10.0.2.200/32",
					"remove 10.0.2.0/24");
			Recorders.await(TIMEOUT, () -> ipcache.calls().containsAll(removals), ipcache);
			assertThat(ipcache.get("192.168.56.11")).isEqualTo("1");
		});
	}

	@Test
	void aDualStackNodesIpv6PodsAreTunnelledToItsIpv4InternalIp() {
		MockCluster.runner(client).run((context) -> {
			RecordingIpcache ipcache = context.getBean(RecordingIpcache.class);
			MockCluster.apply(client, "node-node-1.yaml", Node.class);
			MockCluster.apply(client, "ciliumnode-node-1.yaml", CiliumNode.class);
			MockCluster.apply(client, "ciliumnode-node-3-dual-stack.yaml", CiliumNode.class);
			MockCluster.apply(client, "cep-remote-ipv6.yaml", CiliumEndpoint.class);
			// Node and endpoint come through separate informers: wait for both, and for
			// each of the node's entries, which reach the ipcache one by one.
			Recorders.await(TIMEOUT,
					() -> ipcache.has("fd00:10:0:3::15") && ipcache.has("fd00:10:0:3::/64")
							&& ipcache.has("10.0.3.0/24") && ipcache.has("fd00:56::13") && ipcache.has("192.168.56.13"),
					ipcache);

			// The VXLAN underlay is IPv4: every entry's tunnel endpoint is the IPv4
			// InternalIP, though the IPv6 one is listed first (the datapath refuses an
			// IPv6 tunnel endpoint).
			assertThat(ipcache.get("fd00:10:0:3::/64")).isEqualTo("2 via 192.168.56.13");
			assertThat(ipcache.get("10.0.3.0/24")).isEqualTo("2 via 192.168.56.13");
			assertThat(ipcache.get("fd00:10:0:3::15")).isEqualTo("51000 via 192.168.56.13");
			assertThat(ipcache.get("fd00:56::13")).isEqualTo("6");
			assertThat(ipcache.get("192.168.56.13")).isEqualTo("6");
		});
	}

}
