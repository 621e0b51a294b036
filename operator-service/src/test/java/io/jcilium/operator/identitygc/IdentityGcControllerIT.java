package io.jcilium.operator.identitygc;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.operator.k8s.InformerController;
import io.jcilium.operator.k8s.MockApi;
import io.jcilium.operator.k8s.SharedInformers;
import io.jcilium.testsupport.RedisServer;
import io.jcilium.testsupport.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity GC against fabric8's CRUD mock API server and the real identity-service: its
 * executable jar runs as a process on a real Redis, and the operator talks gRPC to it
 * over TCP. identity-service's own GC runs every second here, so an identity the operator
 * released on every node is freed within a few seconds; its reference leases last a
 * minute, longer than any test, so only the operator's releases can free one.
 */
@EnableKubernetesMockClient(crud = true)
class IdentityGcControllerIT {

	static KubernetesClient client;

	/** The operator's own client, whose calls are recorded for the chart's RBAC check. */
	static KubernetesClient operator;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static ServiceProcess identityService;

	private static ManagedChannel channel;

	private final IdentityGcMetrics metrics = new IdentityGcMetrics();

	private IdentityGcController controller;

	@BeforeAll
	static void startService() throws Exception {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
		identityService = ServiceProcess.start("identity-service",
				List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
						"--jcilium.identity.allocation.gc-interval=1s", "--jcilium.identity.allocation.lease-ttl=10m"),
				Duration.ofMinutes(3));
		channel = ManagedChannelBuilder.forTarget(identityService.grpcTarget()).usePlaintext().build();
	}

	@AfterAll
	static void stopService() {
		if (channel != null) {
			channel.shutdownNow();
		}
		if (identityService != null) {
			identityService.close();
		}
	}

	@AfterAll
	static void closeOperatorClient() {
		operator.close();
	}

	@AfterEach
	void stop() {
		if (this.controller != null) {
			this.controller.stopLeading();
		}
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
		long used = allocate("web", "node-a", "node-b");
		long unused = allocate("batch", "node-a", "node-b");
		createEndpoint("web-1", used);
		this.controller = controller(IdentityServiceGrpc.newBlockingStub(channel));
		this.controller.startLeading();
		// The pass counts what it released once it is over, after identity-service freed
		// the identity.
		MockApi.await(Duration.ofSeconds(30), () -> !allocated().contains(unused) && this.metrics.releasedTotal() > 0);
		assertThat(allocated()).contains(used);
		assertThat(this.metrics.releasedTotal()).isEqualTo(1);
	}

	@Test
	void withIdentityServiceUnreachablePassesFailVisiblyAndNothingIsReleased() throws Exception {
		createNode("node-a");
		long unused = allocate("cron", "node-a");
		// A port nothing listens on: identity-service is down as far as this operator
		// sees.
		ManagedChannel nowhere = ManagedChannelBuilder.forTarget("127.0.0.1:" + closedPort()).usePlaintext().build();
		try {
			this.controller = controller(IdentityServiceGrpc.newBlockingStub(nowhere));
			this.controller.startLeading();
			MockApi.await(Duration.ofSeconds(20), () -> this.metrics.failedPasses() >= 2);
			assertThat(this.controller.loop().lastError()).contains("identity-service did not list its identities")
				.contains("nothing was released");
			assertThat(allocated()).contains(unused);
		}
		finally {
			nowhere.shutdownNow();
		}
	}

	private IdentityGcController controller(IdentityServiceBlockingStub stub) {
		IdentityGarbageCollector collector = new IdentityGarbageCollector(new GrpcIdentityRegistry(stub, 2000),
				Duration.ZERO, Clock.systemUTC(), this.metrics);
		return new IdentityGcController(new SharedInformers(operator), "cilium.io/v2", collector,
				Duration.ofMillis(300));
	}

	private static IdentityServiceBlockingStub stub() {
		return IdentityServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	/**
	 * Allocates the identity of {@code app}'s labels on each node: one reference each.
	 */
	private static long allocate(String app, String... nodes) {
		long id = 0;
		for (String node : nodes) {
			id = Integer.toUnsignedLong(stub().withInterceptors(CallerHeader.declaring(Caller.node(node)))
				.allocate(AllocateRequest.newBuilder()
					.addLabels("k8s:app=" + app)
					.addLabels("k8s:io.kubernetes.pod.namespace=default")
					.setNode(node)
					.build())
				.getIdentity()
				.getId());
		}
		return id;
	}

	private static Set<Long> allocated() {
		return stub().list(ListRequest.getDefaultInstance())
			.getIdentitiesList()
			.stream()
			.filter((identity) -> !identity.getReserved())
			.map(Identity::getId)
			.map(Integer::toUnsignedLong)
			.collect(Collectors.toSet());
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
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

}
