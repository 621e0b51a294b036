package io.jcilium.agent.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.api.crd.v2.CiliumNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.Recorders;
import io.jcilium.agent.node.NodeListEndpoint.NodeAddress;
import io.jcilium.agent.node.NodeListEndpoint.Row;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/nodes} lists the CiliumNodes the agent's informer holds, as upstream's
 * node list names and shows them: {@code cluster/node}, the InternalIP of each family
 * before other addresses, the first pod CIDR of each family; nodes leave it when deleted.
 */
@EnableKubernetesMockClient(crud = true)
class NodeListEndpointIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void listsEveryCiliumNodeWithItsPrimaryAddressesAndCidrsPerFamily() {
		MockCluster.runner(client).withUserConfiguration(NodeListConfiguration.class).run((context) -> {
			NodeListEndpoint endpoint = context.getBean(NodeListEndpoint.class);
			// The mock server replays no events to a watch opened late: act once it is
			// open,
			// or a deletion made before it would never reach the informer.
			ClusterInformers informers = context.getBean(ClusterInformers.class);
			Recorders.await(TIMEOUT, () -> informers.ciliumNodes().isWatching(), "the CiliumNode watch");
			MockCluster.apply(client, "ciliumnode-node-3-dual.yaml", CiliumNode.class);
			MockCluster.apply(client, "ciliumnode-node-1.yaml", CiliumNode.class);
			Recorders.await(TIMEOUT, () -> endpoint.nodes().size() == 2, "the node list");

			List<Row> rows = endpoint.nodes();
			assertThat(rows).extracting(Row::name).containsExactly("test-cluster/node-1", "test-cluster/node-3");
			Row local = rows.get(0);
			assertThat(local.local()).as("node-1 is the node the agent runs on").isTrue();
			assertThat(local.ipv4Address()).isEqualTo("192.168.56.11");
			assertThat(local.ipv4AllocCidr()).isEqualTo("10.0.1.0/24");
			assertThat(local.ipv6Address()).isNull();
			assertThat(local.ipv6AllocCidr()).isNull();
			Row dual = rows.get(1);
			assertThat(dual.local()).isFalse();
			// The InternalIP wins over an address listed before it, in each family.
			assertThat(dual.ipv4Address()).isEqualTo("192.168.56.13");
			assertThat(dual.ipv6Address()).isEqualTo("fd00:56::13");
			assertThat(dual.ipv4AllocCidr()).isEqualTo("10.0.3.0/24");
			assertThat(dual.ipv6AllocCidr()).isEqualTo("fd00:10:3::/64");
			assertThat(dual.addresses()).contains(new NodeAddress("ExternalIP", "203.0.113.3"));
			assertThat(dual.podCidrs()).containsExactly("fd00:10:3::/64", "10.0.3.0/24");

			client.resources(CiliumNode.class).withName("node-3").delete();
			Recorders.await(TIMEOUT, () -> endpoint.nodes().size() == 1, "the node list");
			assertThat(endpoint.nodes()).extracting(Row::name).containsExactly("test-cluster/node-1");
		});
	}

	/**
	 * Multi-pool IPAM: a CiliumNode has no pod CIDRs, only pool blocks; the endpoint CIDR
	 * of each family is its first pool block of that family, and the JSON lists every
	 * block with its pool (golden: {@code golden/node-list-multipool.json}).
	 */
	@Test
	void inMultiPoolModeThePoolBlocksAreTheEndpointCidrs() {
		MockCluster.runner(client).withUserConfiguration(NodeListConfiguration.class).run((context) -> {
			NodeListEndpoint endpoint = context.getBean(NodeListEndpoint.class);
			ClusterInformers informers = context.getBean(ClusterInformers.class);
			Recorders.await(TIMEOUT, () -> informers.ciliumNodes().isWatching(), "the CiliumNode watch");
			MockCluster.apply(client, "ciliumnode-node-4-multipool.yaml", CiliumNode.class);
			Recorders.await(TIMEOUT,
					() -> endpoint.nodes()
						.stream()
						.anyMatch((row) -> row.nodeName().equals("node-4") && row.ipv4AllocCidr() != null),
					"node-4 listed");

			Row node4 = endpoint.nodes()
				.stream()
				.filter((row) -> row.nodeName().equals("node-4"))
				.findFirst()
				.orElseThrow();
			assertThat(node4.ipv4AllocCidr()).as("the first IPv4 block, blue's").isEqualTo("10.30.4.0/26");
			assertThat(node4.ipv6AllocCidr()).isEqualTo("fd00:20::400/120");
			assertThat(node4.podCidrs()).isEmpty();
			assertThat(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(node4)
					+ "\n")
				.isEqualTo(golden("node-list-multipool.json"));
			client.resources(CiliumNode.class).withName("node-4").delete();
		});
	}

	private static String golden(String name) throws IOException {
		try (InputStream in = Objects.requireNonNull(NodeListEndpointIT.class.getResourceAsStream("/golden/" + name),
				name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
