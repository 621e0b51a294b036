package io.jcilium.operator.identitygc;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.ListResponse;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.api.identity.v1.ReleaseResponse;
import io.jcilium.operator.k8s.InformerController;
import io.jcilium.operator.k8s.MockApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity GC against fabric8's CRUD mock API server, talking gRPC to an identity API
 * server in this JVM. That server keeps identity-service's reference rules in a map: the
 * real identity-service cannot be started from operator tests, because service modules
 * are packaged as Spring Boot executable jars whose classes a reactor dependency cannot
 * load.
 */
@EnableKubernetesMockClient(crud = true)
class IdentityGcControllerIT {

	static KubernetesClient client;

	private final StandIn identityService = new StandIn();

	private final IdentityGcMetrics metrics = new IdentityGcMetrics();

	private Server server;

	private ManagedChannel channel;

	private IdentityGcController controller;

	@BeforeAll
	static void warmUp() {
		MockApi.warmUp(client);
	}

	@BeforeEach
	void start() throws Exception {
		String name = "identity-" + UUID.randomUUID();
		this.server = InProcessServerBuilder.forName(name).addService(this.identityService).build().start();
		this.channel = InProcessChannelBuilder.forName(name).build();
		IdentityGarbageCollector collector = new IdentityGarbageCollector(
				new GrpcIdentityRegistry(IdentityServiceGrpc.newBlockingStub(this.channel), 2000), Duration.ZERO,
				Clock.systemUTC(), this.metrics);
		this.controller = new IdentityGcController(client, "cilium.io/v2", collector, Duration.ofMillis(300));
	}

	@AfterEach
	void stop() {
		this.controller.stopLeading();
		this.channel.shutdownNow();
		this.server.shutdownNow();
		client.nodes().delete();
		client
			.genericKubernetesResources(
					InformerController.customResource("cilium.io/v2", "CiliumEndpoint", "ciliumendpoints", true))
			.inAnyNamespace()
			.delete();
	}

	@Test
	void identitiesNoEndpointUsesAreReleasedOnEveryNodeAndUsedOnesStay() {
		createNode("node-a");
		createNode("node-b");
		createEndpoint("web-1", 1000);
		this.identityService.add(1000, "node-a", "node-b");
		this.identityService.add(1001, "node-a", "node-b");
		this.controller.startLeading();
		MockApi.await(Duration.ofSeconds(20), () -> !this.identityService.exists(1001));
		assertThat(this.identityService.exists(1000)).isTrue();
		assertThat(this.identityService.releases).containsExactlyInAnyOrder("1001@node-a", "1001@node-b");
		assertThat(this.metrics.releasedTotal()).isEqualTo(1);
	}

	@Test
	void withIdentityServiceDownPassesFailVisiblyAndNothingIsReleased() {
		createNode("node-a");
		this.identityService.add(1001, "node-a");
		this.server.shutdownNow();
		this.controller.startLeading();
		MockApi.await(Duration.ofSeconds(20), () -> this.metrics.failedPasses() >= 2);
		assertThat(this.controller.loop().lastError()).contains("identity-service did not list its identities")
			.contains("nothing was released");
		assertThat(this.identityService.releases).isEmpty();
		assertThat(this.identityService.exists(1001)).isTrue();
	}

	private static void createNode(String name) {
		client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
	}

	private static void createEndpoint(String name, long identity) {
		GenericKubernetesResource endpoint = new GenericKubernetesResourceBuilder().withApiVersion("cilium.io/v2")
			.withKind("CiliumEndpoint")
			.withNewMetadata()
			.withName(name)
			.withNamespace("default")
			.endMetadata()
			.addToAdditionalProperties("status", Map.of("identity", Map.of("id", identity)))
			.build();
		client
			.genericKubernetesResources(
					InformerController.customResource("cilium.io/v2", "CiliumEndpoint", "ciliumendpoints", true))
			.inNamespace("default")
			.resource(endpoint)
			.create();
	}

	/** identity-service's List and Release over references kept in a map. */
	static final class StandIn extends IdentityServiceGrpc.IdentityServiceImplBase {

		private final Map<Long, Set<String>> references = new HashMap<>();

		final List<String> releases = new CopyOnWriteArrayList<>();

		synchronized void add(long id, String... nodes) {
			this.references.put(id, new HashSet<>(List.of(nodes)));
		}

		synchronized boolean exists(long id) {
			return this.references.containsKey(id);
		}

		@Override
		public synchronized void list(ListRequest request, StreamObserver<ListResponse> observer) {
			ListResponse.Builder response = ListResponse.newBuilder()
				.addIdentities(Identity.newBuilder().setId(1).addLabels("reserved:host").setReserved(true));
			this.references.keySet()
				.stream()
				.sorted()
				.forEach((id) -> response.addIdentities(Identity.newBuilder().setId(id.intValue())));
			observer.onNext(response.build());
			observer.onCompleted();
		}

		@Override
		public synchronized void release(ReleaseRequest request, StreamObserver<ReleaseResponse> observer) {
			Set<String> holders = this.references.get((long) request.getId());
			if (holders == null) {
				observer.onError(Status.NOT_FOUND.withDescription("identity " + request.getId() + " does not exist")
					.asRuntimeException());
				return;
			}
			this.releases.add(request.getId() + "@" + request.getNode());
			boolean released = holders.remove(request.getNode());
			// identity-service frees an identity once no node refers to it.
			if (holders.isEmpty()) {
				this.references.remove((long) request.getId());
			}
			observer.onNext(ReleaseResponse.newBuilder().setReleased(released).build());
			observer.onCompleted();
		}

	}

}
