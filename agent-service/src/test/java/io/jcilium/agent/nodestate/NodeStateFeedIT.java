package io.jcilium.agent.nodestate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.Recorders;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.NodeStateServiceGrpc;
import io.jcilium.api.agent.v1.ServedLoadBalancerIp;
import io.jcilium.api.agent.v1.WatchNodeStateRequest;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's node state from fabric8's CRUD mock API server through its own informers
 * and wiring, watched over gRPC: the node's pod CIDR and labels, a Local LoadBalancer
 * service's address with a backend on this node, the same address once its only backend
 * moved to another node, and no address once the service is deleted; each change a new
 * revision.
 */
@EnableKubernetesMockClient(crud = true)
class NodeStateFeedIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void servicesAndTheNodeBecomeStatesWatchedOverGrpc() {
		MockCluster.runner(client).withUserConfiguration(NodeStateConfiguration.class).run((context) -> {
			String name = "node-state-" + UUID.randomUUID();
			Server server = InProcessServerBuilder.forName(name)
				.addService(context.getBean(NodeStateGrpcService.class))
				.build()
				.start();
			ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
			List<NodeState> received = new CopyOnWriteArrayList<>();
			try {
				NodeStateServiceGrpc.newStub(channel)
					.watchNodeState(WatchNodeStateRequest.getDefaultInstance(), collect(received));
				create(Node.class, """
						apiVersion: v1
						kind: Node
						metadata: {name: node-1, labels: {rack: r7}}
						status: {addresses: [{type: InternalIP, address: 192.168.56.11}]}
						""");
				create(CiliumNode.class, """
						apiVersion: cilium.io/v2
						kind: CiliumNode
						metadata: {name: node-1}
						spec:
						  addresses: [{type: InternalIP, ip: 192.168.56.11}]
						  ipam: {podCIDRs: [10.42.0.0/24]}
						""");
				Service web = create(Service.class, """
						apiVersion: v1
						kind: Service
						metadata: {name: web, namespace: shop, labels: {app: web}}
						spec:
						  type: LoadBalancer
						  clusterIP: 10.96.7.10
						  externalTrafficPolicy: Local
						  ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]
						status:
						  loadBalancer: {ingress: [{ip: 172.16.7.10}]}
						""");
				client.resource(web).updateStatus();
				create(EndpointSlice.class, slice("node-1"));

				// Each informer delivers on its own: wait for the state that holds all of
				// them.
				Recorders.await(TIMEOUT,
						() -> last(received, "172.16.7.10 local with-backend")
								&& received.get(received.size() - 1).getNodeLabelsMap().containsKey("rack")
								&& received.get(received.size() - 1).getPodCidrsCount() > 0,
						lazily(() -> "the served address with its local backend; received " + received + ", jobs "
								+ jobs(context.getBean(Jobs.class))));
				NodeState state = received.get(received.size() - 1);
				assertThat(state.getNodeName()).isEqualTo("node-1");
				assertThat(state.getPodCidrsList()).containsExactly("10.42.0.0/24");
				assertThat(state.getNodeLabelsMap()).containsEntry("rack", "r7");
				assertThat(state.getLoadBalancerIps(0).getServiceLabelsMap()).containsEntry("app", "web");

				client.discovery().v1().endpointSlices().inNamespace("shop").withName("web-1").edit((slice) -> {
					slice.getEndpoints().get(0).setNodeName("node-2");
					return slice;
				});
				Recorders.await(TIMEOUT, () -> last(received, "172.16.7.10 local without-backend"),
						lazily(() -> "the backend moved away; received " + received));

				client.services().inNamespace("shop").withName("web").delete();
				Recorders.await(TIMEOUT,
						() -> !received.isEmpty()
								&& received.get(received.size() - 1).getLoadBalancerIpsList().isEmpty(),
						lazily(() -> "the deleted service's address is gone; received " + received));
				List<Long> revisions = received.stream().map(NodeState::getRevision).toList();
				assertThat(revisions).as("one new revision per state sent").isSorted().doesNotHaveDuplicates();
			}
			finally {
				channel.shutdownNow();
				server.shutdownNow();
			}
		});
	}

	private static boolean last(List<NodeState> received, String expected) {
		if (received.isEmpty()) {
			return false;
		}
		List<String> addresses = received.get(received.size() - 1)
			.getLoadBalancerIpsList()
			.stream()
			.filter((ip) -> !"ClusterIP".equals(ip.getKind()))
			.map(NodeStateFeedIT::describe)
			.toList();
		return addresses.equals(List.of(expected));
	}

	private static String describe(ServedLoadBalancerIp ip) {
		return ip.getIp() + " " + (ip.getExternalTrafficPolicyLocal() ? "local " : "cluster ")
				+ (ip.getLocalBackends() ? "with-backend" : "without-backend");
	}

	private static String slice(String node) {
		return """
				apiVersion: discovery.k8s.io/v1
				kind: EndpointSlice
				metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
				addressType: IPv4
				ports: [{name: http, port: 8080, protocol: TCP}]
				endpoints:
				- {addresses: [10.42.0.7], nodeName: %s, conditions: {ready: true}}
				""".formatted(node);
	}

	private static <T extends HasMetadata> T create(Class<T> type, String yaml) {
		return client.resource(client.getKubernetesSerialization().unmarshal(yaml, type)).create();
	}

	private static List<String> jobs(Jobs jobs) {
		return jobs.all().stream().map(Job::status).map(Object::toString).toList();
	}

	private static Object lazily(Supplier<String> text) {
		return new Object() {

			@Override
			public String toString() {
				return text.get();
			}

		};
	}

	private static StreamObserver<NodeState> collect(List<NodeState> received) {
		return new StreamObserver<>() {

			@Override
			public void onNext(NodeState state) {
				received.add(state);
			}

			@Override
			public void onError(Throwable error) {
			}

			@Override
			public void onCompleted() {
			}

		};
	}

}
