package io.jcilium.agent.service.watch;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.common.net.Protocol;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.Recorders;
import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.LbMaps;
import io.jcilium.agent.service.lb.LbProgrammer;
import io.jcilium.agent.service.lb.Scope;
import io.jcilium.agent.service.lb.ServiceName;
import io.jcilium.agent.datapath.lb.BpfLbMaps;
import io.jcilium.agent.datapath.lb.SocketLb;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Services and EndpointSlices applied to fabric8's CRUD mock API server become entries of
 * the real LB maps (loaded from {@code bpf_sock.o}, not attached), through the agent's
 * own wiring; one service's changes leave the other's entries as they were. A Local
 * LoadBalancer service's health-check node port answers over HTTP with this node's ready
 * backends, following its EndpointSlices.
 */
@EnableKubernetesMockClient(crud = true)
class ServiceWatcherIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	static KubernetesClient client;

	private SocketLb object;

	private BpfLbMaps maps;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@BeforeEach
	void requireBpf() {
		KernelRequirements.requireBpf();
	}

	private void loadMaps(int serviceEntries) {
		this.object = SocketLb.load(TestLibbpf.get(), DatapathObjects.resolve(SocketLb.OBJECT), null,
				new SocketLb.MapSizes(serviceEntries, 64, 64));
		this.maps = new BpfLbMaps(this.object.maps());
	}

	@AfterEach
	void closeMaps() {
		if (this.object != null) {
			this.object.close();
		}
	}

	@Test
	void servicesAndSlicesBecomeFrontendsWithTheirBackendsAndChangeOneServiceAtATime() {
		loadMaps(64);
		MockCluster.runner(client).withBean(LbMaps.class, () -> this.maps).run((context) -> {
			MockCluster.apply(client, "node-node-1.yaml", Node.class);
			MockCluster.apply(client, "service-dns.yaml", Service.class);
			MockCluster.apply(client, "endpointslice-dns.yaml", EndpointSlice.class);
			MockCluster.apply(client, "service-web.yaml", Service.class);
			MockCluster.apply(client, "endpointslice-web.yaml", EndpointSlice.class);
			Map<String, List<String>> expected = Map.of("10.96.0.53:53/UDP", List.of("10.0.1.53:53/UDP"),
					"10.96.0.80:80/TCP", List.of("10.0.1.11:8080/TCP", "10.0.2.12:8080/TCP"), "10.96.0.80:9090/TCP",
					List.of("10.0.1.11:9090/TCP", "10.0.2.12:9090/TCP"), "192.168.56.11:30080/TCP",
					List.of("10.0.1.11:8080/TCP", "10.0.2.12:8080/TCP"));
			Recorders.await(TIMEOUT, () -> frontends().equals(expected), lazily(() -> whatTheAgentSees(context)));

			// scale-out: only web's entries change
			Map<Object, Object> dnsBefore = dnsEntries();
			MockCluster.apply(client, "endpointslice-web-scaled.yaml", EndpointSlice.class);
			// The frontends are written one after the other: the NodePort's after the
			// ClusterIP's.
			Recorders.await(TIMEOUT,
					() -> frontends().get("10.96.0.80:80/TCP").size() == 3
							&& frontends().get("192.168.56.11:30080/TCP").contains("10.0.2.14:8080/TCP"),
					lazily(() -> whatTheAgentSees(context)));
			assertThat(frontends().get("192.168.56.11:30080/TCP")).contains("10.0.2.14:8080/TCP");
			assertThat(dnsEntries()).isEqualTo(dnsBefore);

			client.services().inNamespace("team-a").withName("web").delete();
			// The backends go after the frontends that used them.
			Recorders.await(TIMEOUT, () -> frontends().keySet().equals(java.util.Set.of("10.96.0.53:53/UDP"))
					&& this.maps.backendEntries().size() == 1, lazily(() -> whatTheAgentSees(context)));
			assertThat(this.maps.backendEntries().values())
				.containsExactly(L4Address.of("10.0.1.53", 53, Protocol.UDP));
		});
	}

	@Test
	void aServiceThatDoesNotFitIsRefusedWithItsReasonAndTheOthersStay() {
		loadMaps(10);
		MockCluster.runner(client).withBean(LbMaps.class, () -> this.maps).run((context) -> {
			MockCluster.apply(client, "node-node-1.yaml", Node.class);
			MockCluster.apply(client, "service-dns.yaml", Service.class);
			MockCluster.apply(client, "endpointslice-dns.yaml", EndpointSlice.class);
			Recorders.await(TIMEOUT, () -> frontends().containsKey("10.96.0.53:53/UDP"),
					lazily(() -> whatTheAgentSees(context)));
			// web: 3 frontends x (master + 2 backends) = 9 entries; dns holds 2 of 10
			ServiceSync sync = context.getBean(ServiceSync.class);
			ServiceName web = new ServiceName("team-a", "web");
			Recorders.await(TIMEOUT, () -> nodeAddressCount(context) > 0, lazily(() -> whatTheAgentSees(context)));
			MockCluster.apply(client, "service-web.yaml", Service.class);
			MockCluster.apply(client, "endpointslice-web.yaml", EndpointSlice.class);
			Recorders.await(TIMEOUT, () -> sync.refused().containsKey(web), lazily(() -> whatTheAgentSees(context)));
			assertThat(sync.refused().get(web))
				.containsPattern("service team-a/web needs \\d+ more service map entries but only \\d+ of 10 are free")
				.contains("jcilium.service.service-map-size");
			// whatever web had before it stopped fitting stays (the Service may arrive
			// before its slices, and its frontends without backends fit); dns is
			// untouched
			assertThat(frontends()).containsEntry("10.96.0.53:53/UDP", List.of("10.0.1.53:53/UDP"));
			assertThat(this.maps.serviceEntries()).hasSizeLessThanOrEqualTo(10);
		});
	}

	@Test
	void aRestartedAgentKeepsWhatTheMapsHoldUntilServicesAreSyncedThenDropsServicesDeletedMeanwhile() {
		loadMaps(64);
		// what the agent before the restart programmed: a service since deleted
		L4Address goneBackend = L4Address.of("10.0.9.1", 8080, Protocol.TCP);
		new LbProgrammer(this.maps).apply(new ServiceName("team-a", "gone"),
				List.of(new LbFrontend(new FrontendKey(L4Address.of("10.96.0.77", 80, Protocol.TCP), Scope.EXTERNAL),
						FrontendKind.CLUSTER_IP, FrontendKind.CLUSTER_IP.flag(), 0, List.of(goneBackend))));
		MockCluster.runner(client).withBean(LbMaps.class, () -> this.maps).run((context) -> {
			MockCluster.apply(client, "node-node-1.yaml", Node.class);
			MockCluster.apply(client, "service-dns.yaml", Service.class);
			MockCluster.apply(client, "endpointslice-dns.yaml", EndpointSlice.class);
			LbProgrammer programmer = context.getBean(LbProgrammer.class);
			Recorders.await(TIMEOUT, () -> programmer.restoreStatus().synced(),
					lazily(() -> whatTheAgentSees(context)));
			// The Service may be programmed before its slice, without backends: wait for
			// the backend, or the slice's pass may write between the two counts below.
			Recorders.await(TIMEOUT, () -> List.of("10.0.1.53:53/UDP").equals(frontends().get("10.96.0.53:53/UDP")),
					lazily(() -> whatTheAgentSees(context)));
			assertThat(frontends()).doesNotContainKey("10.96.0.77:80/TCP");
			assertThat(this.maps.backendEntries().values()).doesNotContain(goneBackend);
			assertThat(programmer.serviceEntries()).isEqualTo(this.maps.serviceEntries().size());
		});
	}

	@Test
	void aLocalLoadBalancerServiceAnswersOnItsHealthCheckNodePortWithThisNodesBackends() throws Exception {
		loadMaps(64);
		int port = freePort();
		MockCluster.runner(client).withBean(LbMaps.class, () -> this.maps).run((context) -> {
			MockCluster.apply(client, "node-node-1.yaml", Node.class);
			Service web = client.getKubernetesSerialization()
				.unmarshal(MockCluster.manifest("service-web.yaml"), Service.class);
			web.getSpec().setType("LoadBalancer");
			web.getSpec().setExternalTrafficPolicy("Local");
			web.getSpec().setHealthCheckNodePort(port);
			// the mock server is shared by this class's tests: another may have left web
			client.resource(web).createOr(NonDeletingOperation::update);
			MockCluster.apply(client, "endpointslice-web.yaml", EndpointSlice.class);
			String prefix = "{\"service\":{\"namespace\":\"team-a\",\"name\":\"web\"},\"localEndpoints\":";
			// node-1 runs 10.0.1.11 (ready) and 10.0.1.13 (terminating, not counted)
			Recorders.await(TIMEOUT, () -> healthAnswer(port).equals("200 " + prefix + "1}"),
					lazily(() -> healthAnswer(port)));
			client.resources(EndpointSlice.class).inNamespace("team-a").withName("web-abc12").edit((slice) -> {
				slice.getEndpoints().removeIf((endpoint) -> "node-1".equals(endpoint.getNodeName()));
				return slice;
			});
			Recorders.await(TIMEOUT, () -> healthAnswer(port).equals("503 " + prefix + "0}"),
					lazily(() -> healthAnswer(port)));
			client.services().inNamespace("team-a").withName("web").delete();
			Recorders.await(TIMEOUT, () -> healthAnswer(port).equals("unreachable"), lazily(() -> healthAnswer(port)));
		});
	}

	private static String healthAnswer(int port) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.ofString());
			return response.statusCode() + " " + response.body();
		}
		catch (IOException ex) {
			return "unreachable";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * What a wait that gives up reports: refusals, the maps, the informers' caches and
	 * the agent's jobs, so a failure says which link of the chain did not move.
	 */
	private String whatTheAgentSees(org.springframework.context.ApplicationContext context) {
		ClusterInformers informers = context.getBean(ClusterInformers.class);
		return "refused " + context.getBean(ServiceSync.class).refused() + ", frontends " + frontends()
				+ ", services cached " + informers.services().getStore().listKeys() + ", slices cached "
				+ informers.endpointSlices().getStore().listKeys() + ", node addresses "
				+ context.getBean(io.jcilium.agent.node.NodeAddresses.class).localAddresses() + ", jobs "
				+ context.getBean(Jobs.class).all().stream().map(Job::status).toList();
	}

	private static int nodeAddressCount(org.springframework.context.ApplicationContext context) {
		return context.getBean(io.jcilium.agent.node.NodeAddresses.class).localAddresses().size();
	}

	/** Describes the state at the time a wait gives up. */
	private static Object lazily(java.util.function.Supplier<?> state) {
		return new Object() {

			@Override
			public String toString() {
				return String.valueOf(state.get());
			}

		};
	}

	private Map<String, List<String>> frontends() {
		return this.maps.frontends()
			.entrySet()
			.stream()
			.collect(Collectors.toMap((e) -> e.getKey().toString(),
					(e) -> e.getValue().stream().map(String::valueOf).sorted().toList()));
	}

	private Map<Object, Object> dnsEntries() {
		return this.maps.serviceEntries()
			.entrySet()
			.stream()
			.filter((e) -> e.getKey()
				.frontend()
				.equals(new FrontendKey(L4Address.of("10.96.0.53", 53, Protocol.UDP),
						io.jcilium.agent.service.lb.Scope.EXTERNAL)))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

}
