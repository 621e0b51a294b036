package io.jcilium.agent.node;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.agent.endpoint.PersistentPodIps;
import io.jcilium.agent.endpoint.PodIpSpaceSource;
import io.jcilium.agent.ipam.PodPoolSource;
import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.Recorders;
import io.jcilium.api.crd.v2.CiliumNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Multi-pool IPAM as the agent wires it, against fabric8's CRUD mock API server, with the
 * test in the operator's place: a pod's pool comes from its namespace's or its own
 * {@code ipam.cilium.io/ip-pool} annotation, the node asks for it in its CiliumNode's
 * {@code spec.ipam.pools.requested} (a real JSON Patch, guarded by the resourceVersion it
 * saw), the address comes from the block written to {@code allocated}, and once no pod
 * uses the pool its block leaves {@code allocated} and the pool leaves {@code requested}.
 * Each list is checked for duplicates: the mock server appends the lists of a JSON merge
 * patch, which is why the agent writes a JSON Patch.
 */
@EnableKubernetesMockClient(crud = true)
class MultiPoolIT {

	/** Generous: informers on a loaded machine may take a minute to list. */
	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	static KubernetesClient client;

	@TempDir
	Path state;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void podsGetAddressesFromTheBlocksOfTheirPoolsWhichGoBackWhenUnused() {
		MockCluster.runner(client)
			.withPropertyValues("jcilium.agent.ipam.mode=multi-pool", "jcilium.agent.ipam.pool-wait=10s",
					"jcilium.agent.k8s.pod-cidr-wait=120s", "jcilium.agent.ipam.multi-pool-pre-allocation=default=2")
			.run((context) -> {
				MockCluster.apply(client, "ciliumnode-node-1.yaml", CiliumNode.class);
				client.namespaces()
					.resource(new NamespaceBuilder().withNewMetadata()
						.withName("blue-team")
						.addToAnnotations("ipam.cilium.io/ip-pool", "blue")
						.endMetadata()
						.build())
					.create();
				pod("blue-team", "db", null);
				pod("blue-team", "web", "default");
				ClusterInformers informers = context.getBean(ClusterInformers.class);
				Recorders.await(TIMEOUT, informers::hasSynced, "informers synced");
				PersistentPodIps ips = PersistentPodIps.of(context.getBean(PodIpSpaceSource.class)::awaitSpace,
						this.state.resolve("pod-ip-allocations"), Duration.ofSeconds(60),
						context.getBean(PodPoolSource.class));

				// db waits for a block of its namespace's pool, and the node asks for
				// one.
				CompletableFuture<InetAddress> db = CompletableFuture
					.supplyAsync(() -> ips.allocate("c-db", "eth0", null, "blue-team", "db"));
				Recorders.await(TIMEOUT, () -> requested().containsKey("blue"), requested());
				assertThat(requested()).containsKey("default");
				allocate(Map.of("blue", List.of("10.20.0.0/27"), "default", List.of("10.10.0.0/27")));
				assertThat(db.get(120, TimeUnit.SECONDS)).isEqualTo(InetAddress.getByName("10.20.0.2"));
				// web's own annotation wins over its namespace's.
				assertThat(ips.allocate("c-web", "eth0", null, "blue-team", "web"))
					.isEqualTo(InetAddress.getByName("10.10.0.2"));
				// A pod the agent has never seen gets no guessed pool (once pool-wait
				// is over).
				PodPoolSource pools = context.getBean(PodPoolSource.class);
				assertThatThrownBy(() -> pools.poolOf("blue-team", "nobody"))
					.hasMessageContaining("blue-team/nobody is not known");

				ips.release("c-db", "eth0");
				Recorders.await(TIMEOUT, () -> !requested().containsKey("blue") && !allocated().containsKey("blue"),
						allocated());
				assertThat(allocated()).containsOnlyKeys("default");
				assertThat(requested()).containsOnlyKeys("default");
			});
	}

	@Test
	void aWriteFromAnOutdatedCiliumNodeIsRefusedAndChangesNothing() {
		CiliumNode seen = MockCluster.apply(client, "ciliumnode-node-1.yaml", CiliumNode.class);
		allocate(Map.of("default", List.of("10.10.0.0/27")));
		Map<String, Object> requested = new java.util.LinkedHashMap<>();
		requested.put("requested", List.of(Map.of("pool", "blue", "needed", Map.of("ipv4-addrs", 8))));
		requested.put("allocated", null);
		String patch = client.getKubernetesSerialization().asJson(PoolsPatch.of(seen, requested));

		assertThatThrownBy(() -> client.resources(CiliumNode.class)
			.withName(MockCluster.NODE)
			.patch(PatchContext.of(PatchType.JSON), patch))
			.isInstanceOfSatisfying(KubernetesClientException.class, (ex) -> assertThat(ex.getCode()).isEqualTo(409));
		assertThat(allocated()).containsOnlyKeys("default");
		assertThat(requested()).isEmpty();
	}

	private static void pod(String namespace, String name, String pool) {
		PodBuilder pod = new PodBuilder().withNewMetadata()
			.withName(name)
			.withNamespace(namespace)
			.addToLabels("app", name)
			.endMetadata()
			.withNewSpec()
			.withNodeName(MockCluster.NODE)
			.addNewContainer()
			.withName("main")
			.withImage("busybox")
			.endContainer()
			.endSpec();
		if (pool != null) {
			pod.editMetadata().addToAnnotations("ipam.cilium.io/ip-pool", pool).endMetadata();
		}
		client.pods().inNamespace(namespace).resource(pod.build()).create();
	}

	/**
	 * In the operator's place: allocated only, as a JSON Patch (the mock server would
	 * append a merge patch's list to the one there).
	 */
	private static void allocate(Map<String, List<String>> blocks) {
		List<Map<String, Object>> allocated = blocks.entrySet()
			.stream()
			.map((entry) -> Map.<String, Object>of("pool", entry.getKey(), "cidrs", entry.getValue()))
			.toList();
		boolean hasPools = client.resources(CiliumNode.class)
			.withName(MockCluster.NODE)
			.get()
			.getSpec().ipam.pools != null;
		Map<String, Object> add = hasPools
				? Map.of("op", "add", "path", "/spec/ipam/pools/allocated", "value", allocated)
				: Map.of("op", "add", "path", "/spec/ipam/pools", "value", Map.of("allocated", allocated));
		String patch = client.getKubernetesSerialization().asJson(List.of(add));
		client.resources(CiliumNode.class).withName(MockCluster.NODE).patch(PatchContext.of(PatchType.JSON), patch);
	}

	private static CiliumNode.IpamPoolSpec pools() {
		CiliumNode node = client.resources(CiliumNode.class).withName(MockCluster.NODE).get();
		return (node != null && node.getSpec() != null && node.getSpec().ipam != null
				&& node.getSpec().ipam.pools != null) ? node.getSpec().ipam.pools : new CiliumNode.IpamPoolSpec();
	}

	/** Pool to addresses requested; a pool listed twice fails the test. */
	private static Map<String, Integer> requested() {
		List<CiliumNode.IpamPoolRequest> requests = Objects.requireNonNullElse(pools().requested, List.of());
		return requests.stream()
			.collect(Collectors.toMap((r) -> r.pool,
					(r) -> (r.needed != null && r.needed.ipv4Addrs != null) ? r.needed.ipv4Addrs : 0));
	}

	/** Pool to blocks allocated; a pool listed twice fails the test. */
	private static Map<String, List<String>> allocated() {
		List<CiliumNode.IpamPoolAllocation> blocks = Objects.requireNonNullElse(pools().allocated, List.of());
		return blocks.stream().collect(Collectors.toMap((a) -> a.pool, (a) -> a.cidrs));
	}

}
