package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.agent.ipam.PodIpOwner;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.Recorders;
import io.jcilium.agent.link.InMemoryLinkOperations;
import io.jcilium.agent.link.LinkOperations;
import io.jcilium.agent.link.PodLinkSpec;
import io.jcilium.api.crd.v2.CiliumNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent restarts with two addresses whose endpoints it cannot restore while their
 * veths live, against a mock API server in CRUD mode: once the pod informer has synced,
 * the one a pod of this node holds in its status stays held, naming the pod; the other,
 * which only a pod of another node names, is freed. An orphan whose pod shows up late and
 * is deleted after the grace period is freed on the deletion event.
 */
@EnableKubernetesMockClient(crud = true)
class OrphanReconcileIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	static KubernetesClient client;

	@TempDir
	Path stateDir;

	private final InMemoryLinkOperations links = new InMemoryLinkOperations();

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
		// The node's pod CIDR, as the operator writes it: the agent takes no default.
		CiliumNode node = new CiliumNode();
		node.setMetadata(new ObjectMetaBuilder().withName(MockCluster.NODE).build());
		CiliumNode.Spec spec = new CiliumNode.Spec();
		spec.ipam = new CiliumNode.IpamSpec();
		spec.ipam.podCIDRs = List.of("10.99.0.0/24");
		node.setSpec(spec);
		client.resource(node).create();
	}

	@Test
	void anOrphanIsHeldWhileALocalPodClaimsItsAddressAndFreedWhenOnlyAnotherNodesPodNamesIt() throws Exception {
		podWithAddress("pod-db.yaml", "db", "10.99.0.7");
		podWithAddress("pod-elsewhere.yaml", "api", "10.99.0.9");
		String dbVeth = orphan("c-db", "10.99.0.7");
		String goneVeth = orphan("c-gone", "10.99.0.9");

		MockCluster.runner(client)
			.withUserConfiguration(EndpointConfiguration.class)
			.withBean(LinkOperations.class, () -> this.links)
			.withPropertyValues("jcilium.agent.state-dir=" + this.stateDir, "jcilium.agent.k8s.pod-cidr-wait=30s",
					"jcilium.agent.endpoint.orphan-grace-period=0s",
					// Longer than the test: only the start, the informer's sync and pod
					// events run the job.
					"jcilium.agent.endpoint.orphan-reconcile-interval=1h")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				EndpointManager endpoints = context.getBean(EndpointManager.class);
				PersistentPodIps ips = context.getBean(PersistentPodIps.class);
				Recorders.await(TIMEOUT, () -> endpoints.heldOrphans().size() == 1, endpoints.heldOrphans());
				assertThat(endpoints.heldOrphans()).singleElement().satisfies((held) -> {
					assertThat(held.containerId()).isEqualTo("c-db");
					assertThat(held.heldBecause()).isEqualTo("pod default/db claims the address");
				});
				assertThat(this.links.hostLinkExists(dbVeth)).isTrue();
				assertThat(ips.ownerOf(InetAddress.getByName("10.99.0.7"))).contains(new PodIpOwner("c-db", "eth0"));
				assertThat(this.links.hostLinkExists(goneVeth)).as("only another node's pod names it").isFalse();
				assertThat(ips.ownerOf(InetAddress.getByName("10.99.0.9"))).isEmpty();
			});
	}

	@Test
	void anOrphanIsFreedWhenItsClaimingPodIsDeletedAfterTheGracePeriod() throws Exception {
		SettableClock clock = new SettableClock();
		String dbVeth = orphan("c-db2", "10.99.0.17");
		MockCluster.runner(client)
			.withUserConfiguration(EndpointConfiguration.class)
			.withBean(LinkOperations.class, () -> this.links)
			.withBean(Clock.class, () -> clock)
			.withPropertyValues("jcilium.agent.state-dir=" + this.stateDir, "jcilium.agent.k8s.pod-cidr-wait=30s",
					"jcilium.agent.endpoint.orphan-grace-period=2m",
					"jcilium.agent.endpoint.orphan-reconcile-interval=1h")
			.run((context) -> {
				EndpointManager endpoints = context.getBean(EndpointManager.class);
				Recorders.await(TIMEOUT, () -> heldBecause(endpoints).contains("grace period"),
						endpoints.heldOrphans());

				// The kubelet reports the pod's address late, within the grace period.
				podWithAddress("pod-db.yaml", "db2", "10.99.0.17");
				Recorders.await(TIMEOUT, () -> heldBecause(endpoints).equals("pod default/db2 claims the address"),
						endpoints.heldOrphans());
				clock.advance(Duration.ofMinutes(3));
				assertThat(this.links.hostLinkExists(dbVeth)).isTrue();

				client.pods().inNamespace("default").withName("db2").delete();

				Recorders.await(TIMEOUT, () -> endpoints.heldOrphans().isEmpty(), endpoints.heldOrphans());
				assertThat(this.links.hostLinkExists(dbVeth)).isFalse();
				assertThat(context.getBean(PersistentPodIps.class).ownerOf(InetAddress.getByName("10.99.0.17")))
					.isEmpty();
			});
	}

	private static String heldBecause(EndpointManager endpoints) {
		List<HeldOrphan> held = endpoints.heldOrphans();
		return held.isEmpty() ? "" : held.get(0).heldBecause();
	}

	private static void podWithAddress(String manifest, String name, String ip) {
		Pod pod = client.getKubernetesSerialization().unmarshal(MockCluster.manifest(manifest), Pod.class);
		pod.getMetadata().setName(name);
		pod.getMetadata().setUid(null);
		pod.setStatus(new PodStatusBuilder().withPhase("Running")
			.withPodIP(ip)
			.withPodIPs(new PodIPBuilder().withIp(ip).build())
			.build());
		client.resource(pod).create();
		assertThat(
				client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).get().getStatus().getPodIP())
			.as("the mock server keeps the status")
			.isEqualTo(ip);
	}

	/** An address and veth of a container interface whose endpoint file is gone. */
	private String orphan(String containerId, String ip) throws Exception {
		Files.createDirectories(this.stateDir.resolve("endpoints"));
		InetAddress address = InetAddress.getByName(ip);
		new PersistentPodIps("10.99.0.0/24", this.stateDir.resolve("pod-ip-allocations")).allocate(containerId, "eth0",
				address);
		String veth = EndpointManager.hostIfName(containerId, "eth0");
		this.links.createPodLink(new PodLinkSpec(veth, "eth0", "/run/netns/" + containerId, address,
				"02:00:00:00:00:01", "02:00:00:00:00:02"));
		return veth;
	}

}
