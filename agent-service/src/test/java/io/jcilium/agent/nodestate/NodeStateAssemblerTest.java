package io.jcilium.agent.nodestate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.agent.service.lb.ServiceName;
import io.jcilium.agent.service.watch.ServiceSync;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.ServedLoadBalancerIp;
import io.jcilium.api.crd.v2.CiliumNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node state from real Kubernetes objects: the CiliumNode's addresses and pod CIDRs,
 * the Node's labels, and the LoadBalancer and external IPs of services, with whether a
 * Local service has a backend on this node.
 */
class NodeStateAssemblerTest {

	private static final KubernetesSerialization YAML = new KubernetesSerialization();

	private static final String CILIUM_NODE = """
			apiVersion: cilium.io/v2
			kind: CiliumNode
			metadata: {name: node-1}
			spec:
			  addresses:
			  - {type: InternalIP, ip: 192.168.1.10}
			  - {type: CiliumInternalIP, ip: "fd00:0:0::10"}
			  ipam: {podCIDRs: [10.1.0.0/24, "fd00:10:1::/64", not-a-cidr]}
			""";

	private static final String NODE = """
			apiVersion: v1
			kind: Node
			metadata: {name: node-1, labels: {rack: r1}}
			status:
			  addresses:
			  - {type: InternalIP, address: 192.168.9.9}
			  - {type: Hostname, address: node-1}
			""";

	private static final String LOCAL_LB = """
			apiVersion: v1
			kind: Service
			metadata: {name: web, namespace: shop, labels: {app: web}}
			spec:
			  type: LoadBalancer
			  clusterIP: 10.96.0.10
			  externalTrafficPolicy: Local
			  externalIPs: [172.16.0.7]
			  ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]
			status:
			  loadBalancer: {ingress: [{ip: 172.16.0.100}, {ip: "2001:db8::100"}]}
			""";

	private static final String CLUSTER_LB = """
			apiVersion: v1
			kind: Service
			metadata: {name: api, namespace: default}
			spec:
			  type: LoadBalancer
			  clusterIP: 10.96.0.11
			  ports: [{port: 443, protocol: TCP}]
			status:
			  loadBalancer: {ingress: [{ip: 172.16.0.101}]}
			""";

	private static final String CLUSTER_IP_ONLY = """
			apiVersion: v1
			kind: Service
			metadata: {name: db, namespace: default}
			spec:
			  clusterIP: 10.96.0.12
			  ports: [{port: 5432, protocol: TCP}]
			""";

	private static String slice(String node) {
		return """
				apiVersion: discovery.k8s.io/v1
				kind: EndpointSlice
				metadata: {name: web-a, namespace: shop, labels: {kubernetes.io/service-name: web}}
				addressType: IPv4
				ports: [{name: http, port: 8080, protocol: TCP}]
				endpoints:
				- {addresses: [10.1.0.5], nodeName: %s, conditions: {ready: true}}
				""".formatted(node);
	}

	@Test
	void theCiliumNodeGivesAddressesAndPodCidrsAndTheNodeItsLabels() {
		NodeState state = NodeStateAssembler.assemble("node-1", read(NODE, Node.class),
				read(CILIUM_NODE, CiliumNode.class), new Services());
		assertThat(state.getNodeName()).isEqualTo("node-1");
		assertThat(state.getAddressesList()).extracting((a) -> a.getType() + "=" + a.getIp())
			.containsExactly("InternalIP=192.168.1.10", "CiliumInternalIP=fd00::10");
		assertThat(state.getPodCidrsList()).as("a malformed CIDR is left out")
			.containsExactly("10.1.0.0/24", "fd00:10:1::/64");
		assertThat(state.getNodeLabelsMap()).containsExactly(Map.entry("rack", "r1"));
		assertThat(state.getLoadBalancerIpsList()).isEmpty();
	}

	@Test
	void inMultiPoolModeThePoolBlocksAllocatedToTheNodeGoAlongWithTheirPool() {
		CiliumNode multiPool = read("""
				apiVersion: cilium.io/v2
				kind: CiliumNode
				metadata: {name: node-1}
				spec:
				  addresses: [{type: InternalIP, ip: 192.168.1.10}]
				  ipam:
				    pools:
				      requested: [{pool: default, needed: {ipv4-addrs: 16}}]
				      allocated:
				      - {pool: default, cidrs: [10.20.1.0/24, "fd00:20::/120"]}
				      - {pool: blue, cidrs: [10.30.7.0/26, not-a-cidr]}
				""", CiliumNode.class);
		NodeState state = NodeStateAssembler.assemble("node-1", null, multiPool, new Services());
		assertThat(state.getPodCidrsList()).as("multi-pool mode has no pod CIDRs").isEmpty();
		assertThat(state.getPoolBlocksList()).extracting((block) -> block.getPool() + " " + block.getCidr())
			.as("in the CiliumNode's order, a malformed block left out")
			.containsExactly("default 10.20.1.0/24", "default fd00:20::/120", "blue 10.30.7.0/26");
	}

	@Test
	void withoutACiliumNodeTheNodesIpAddressesAreUsed() {
		NodeState state = NodeStateAssembler.assemble("node-1", read(NODE, Node.class), null, new Services());
		assertThat(state.getAddressesList()).extracting((a) -> a.getType() + "=" + a.getIp())
			.containsExactly("InternalIP=192.168.9.9");
		assertThat(state.getPodCidrsList()).isEmpty();
	}

	@Test
	void aLocalServiceHasLocalBackendsOnlyWithAnEndpointOnThisNode() {
		Services services = new Services().add(LOCAL_LB, slice("node-2")).add(CLUSTER_LB).add(CLUSTER_IP_ONLY);
		NodeState elsewhere = NodeStateAssembler.assemble("node-1", null, null, services);
		assertThat(elsewhere.getLoadBalancerIpsList()).extracting(NodeStateAssemblerTest::describe)
			.containsExactly("default/api 10.96.0.11 ClusterIP cluster",
					"default/api 172.16.0.101 LoadBalancerIP cluster", "default/db 10.96.0.12 ClusterIP cluster",
					"shop/web 10.96.0.10 ClusterIP cluster", //
					"shop/web 172.16.0.7 ExternalIP local without-backend",
					"shop/web 172.16.0.100 LoadBalancerIP local without-backend",
					"shop/web 2001:db8::100 LoadBalancerIP local without-backend");
		assertThat(elsewhere.getLoadBalancerIps(4).getServiceLabelsMap()).containsExactly(Map.entry("app", "web"));

		NodeState here = NodeStateAssembler.assemble("node-1", null, null,
				new Services().add(LOCAL_LB, slice("node-1")).add(CLUSTER_LB));
		assertThat(here.getLoadBalancerIpsList()).extracting(NodeStateAssemblerTest::describe)
			.containsExactly("default/api 10.96.0.11 ClusterIP cluster",
					"default/api 172.16.0.101 LoadBalancerIP cluster", "shop/web 10.96.0.10 ClusterIP cluster",
					"shop/web 172.16.0.7 ExternalIP local with-backend",
					"shop/web 172.16.0.100 LoadBalancerIP local with-backend",
					// no IPv6 backend: the IPv6 frontend has none on this node
					"shop/web 2001:db8::100 LoadBalancerIP local without-backend");
	}

	@Test
	void aClusterIpFollowsTheInternalTrafficPolicyAndTheLoadBalancerClassGoesAlong() {
		String internalLocal = """
				apiVersion: v1
				kind: Service
				metadata: {name: web, namespace: shop}
				spec:
				  type: LoadBalancer
				  loadBalancerClass: example.com/other
				  clusterIP: 10.96.0.10
				  internalTrafficPolicy: Local
				  ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]
				status:
				  loadBalancer: {ingress: [{ip: 172.16.0.100}]}
				""";
		NodeState elsewhere = NodeStateAssembler.assemble("node-1", null, null,
				new Services().add(internalLocal, slice("node-2")));
		assertThat(elsewhere.getLoadBalancerIpsList()).extracting(NodeStateAssemblerTest::describe)
			.containsExactly("shop/web 10.96.0.10 ClusterIP local without-backend",
					"shop/web 172.16.0.100 LoadBalancerIP cluster");
		assertThat(elsewhere.getLoadBalancerIpsList()).extracting(ServedLoadBalancerIp::getLoadBalancerClass)
			.containsOnly("example.com/other");

		NodeState here = NodeStateAssembler.assemble("node-1", null, null,
				new Services().add(internalLocal, slice("node-1")));
		assertThat(here.getLoadBalancerIps(0)).extracting(NodeStateAssemblerTest::describe)
			.isEqualTo("shop/web 10.96.0.10 ClusterIP local with-backend");
		assertThat(NodeStateAssembler.assemble("node-1", null, null, new Services().add(CLUSTER_LB))
			.getLoadBalancerIps(0)
			.getLoadBalancerClass()).as("no class").isEmpty();
	}

	@Test
	void equalCachesGiveEqualStates() {
		NodeState a = NodeStateAssembler.assemble("node-1", null, null,
				new Services().add(CLUSTER_LB).add(LOCAL_LB, slice("node-1")));
		NodeState b = NodeStateAssembler.assemble("node-1", null, null,
				new Services().add(LOCAL_LB, slice("node-1")).add(CLUSTER_LB));
		assertThat(NodeStateAssembler.sameContent(a, b)).isTrue();
		assertThat(NodeStateAssembler.sameContent(a, NodeStateAssembler.assemble("node-1", null, null,
				new Services().add(CLUSTER_LB).add(LOCAL_LB, slice("node-2")))))
			.isFalse();
	}

	private static String describe(ServedLoadBalancerIp ip) {
		boolean local = "ClusterIP".equals(ip.getKind()) ? ip.getInternalTrafficPolicyLocal()
				: ip.getExternalTrafficPolicyLocal();
		return ip.getServiceNamespace() + "/" + ip.getServiceName() + " " + ip.getIp() + " " + ip.getKind() + " "
				+ (local ? "local " + (ip.getLocalBackends() ? "with-backend" : "without-backend") : "cluster");
	}

	private static <T> T read(String yaml, Class<T> type) {
		return YAML.unmarshal(yaml, type);
	}

	/** Services and slices as the informers' caches would hold them. */
	static final class Services implements ServiceSync.ServiceCache {

		private final Map<ServiceName, Service> services = new LinkedHashMap<>();

		private final Map<ServiceName, List<EndpointSlice>> slices = new LinkedHashMap<>();

		Services add(String service, String... slices) {
			Service parsed = read(service, Service.class);
			ServiceName name = new ServiceName(parsed.getMetadata().getNamespace(), parsed.getMetadata().getName());
			this.services.put(name, parsed);
			this.slices.put(name,
					new ArrayList<>(Arrays.stream(slices).map((s) -> read(s, EndpointSlice.class)).toList()));
			return this;
		}

		@Override
		public Service service(ServiceName name) {
			return this.services.get(name);
		}

		@Override
		public List<EndpointSlice> slices(ServiceName name) {
			return this.slices.getOrDefault(name, List.of());
		}

		@Override
		public Collection<ServiceName> serviceNames() {
			return List.copyOf(this.services.keySet());
		}

		@Override
		public boolean hasSynced() {
			return true;
		}

	}

}
