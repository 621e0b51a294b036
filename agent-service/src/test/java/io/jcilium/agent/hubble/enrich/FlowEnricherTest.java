package io.jcilium.agent.hubble.enrich;

import java.util.List;
import java.util.Map;

import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.IP;
import io.jcilium.api.hubble.flow.NetworkInterface;
import io.jcilium.api.hubble.flow.Workload;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlowEnricherTest {

	private final LocalEndpoints endpoints = new LocalEndpoints();

	private final Map<Long, List<String>> labels = Map.of(100L,
			List.of("k8s:app=web", "k8s:io.kubernetes.pod.namespace=shop"), 200L,
			List.of("k8s:app=db", "k8s:io.kubernetes.pod.namespace=bank"), 2L, List.of("reserved:world"));

	private final FlowEnricher enricher = new FlowEnricher("node-1", this.endpoints,
			(id) -> this.labels.getOrDefault(id, List.of()));

	@Test
	void localEndpointsByIdOrAddressGetTheirPodAndLabels() {
		this.endpoints.endpointChanged(status(7, "shop", "web-1", "10.0.0.7", 100));
		Flow flow = this.enricher.enrich(Flow.newBuilder()
			.setIP(IP.newBuilder().setSource("10.0.0.7").setDestination("10.9.9.9"))
			.setSource(Endpoint.newBuilder().setIdentity(100))
			.setDestination(Endpoint.newBuilder().setID(0).setIdentity(200))
			.setInterface(NetworkInterface.newBuilder().setIndex(17))
			.build());

		assertThat(flow.getNodeName()).isEqualTo("node-1");
		assertThat(flow.getSource().getID()).as("found by address").isEqualTo(7);
		assertThat(flow.getSource().getPodName()).isEqualTo("web-1");
		assertThat(flow.getSource().getNamespace()).isEqualTo("shop");
		assertThat(flow.getSource().getLabelsList()).containsExactly("k8s:app=web",
				"k8s:io.kubernetes.pod.namespace=shop");
		// a remote peer: no pod name, its namespace from its identity's labels
		assertThat(flow.getDestination().getPodName()).isEmpty();
		assertThat(flow.getDestination().getNamespace()).isEqualTo("bank");
		assertThat(flow.getInterface().getName()).isEqualTo("lxc7");
	}

	@Test
	void anEndpointKnownByIdFillsAnIdentityTheEventLacked() {
		this.endpoints.endpointChanged(status(7, "shop", "web-1", "10.0.0.7", 100));
		Flow flow = this.enricher.enrich(Flow.newBuilder().setDestination(Endpoint.newBuilder().setID(7)).build());
		assertThat(flow.getDestination().getIdentity()).isEqualTo(100);
		assertThat(flow.getDestination().getLabelsList()).contains("k8s:app=web");
	}

	@Test
	void removedOrReaddressedEndpointsAreForgotten() {
		this.endpoints.endpointChanged(status(7, "shop", "web-1", "10.0.0.7", 100));
		this.endpoints.endpointChanged(status(7, "shop", "web-1", "10.0.0.8", 100));
		assertThat(this.endpoints.byAddress("10.0.0.7")).isEmpty();
		assertThat(this.endpoints.byAddress("10.0.0.8")).isPresent();
		this.endpoints.endpointRemoved(status(7, "shop", "web-1", "10.0.0.8", 100));
		assertThat(this.endpoints.byId(7)).isEmpty();
		assertThat(this.endpoints.byAddress("10.0.0.8")).isEmpty();
		assertThat(this.endpoints.byInterfaceIndex(17)).isEmpty();

		Flow flow = this.enricher.enrich(Flow.newBuilder()
			.setIP(IP.newBuilder().setSource("10.0.0.8"))
			.setSource(Endpoint.newBuilder().setIdentity(2))
			.build());
		assertThat(flow.getSource().getPodName()).isEmpty();
		assertThat(flow.getSource().getLabelsList()).containsExactly("reserved:world");
	}

	@Test
	void aLocalPodsWorkloadsAreShownOnItsSide() {
		Workload deployment = Workload.newBuilder().setKind("Deployment").setName("web").build();
		LocalEndpoints withWorkloads = new LocalEndpoints((namespace,
				pod) -> ("shop".equals(namespace) && "web-1".equals(pod)) ? List.of(deployment) : List.of());
		withWorkloads.endpointChanged(status(7, "shop", "web-1", "10.0.0.7", 100));
		withWorkloads.endpointChanged(status(8, "shop", "job-1", "10.0.0.8", 100));
		FlowEnricher enricher = new FlowEnricher("node-1", withWorkloads, (id) -> List.of());

		Flow flow = enricher.enrich(Flow.newBuilder()
			.setIP(IP.newBuilder().setSource("10.0.0.7").setDestination("10.0.0.8"))
			.setSource(Endpoint.newBuilder().setID(7))
			.setDestination(Endpoint.newBuilder().setID(8))
			.build());

		assertThat(flow.getSource().getWorkloadsList()).containsExactly(deployment);
		assertThat(flow.getDestination().getWorkloadsList()).isEmpty();
	}

	@Test
	void aRemotePeerIsNamedByItsCiliumEndpointAsUpstreamNamesItFromTheIpcache() {
		RemotePods remote = (address) -> "10.9.9.9".equals(address)
				? java.util.Optional.of(new RemotePods.RemotePod("bank", "db-0")) : java.util.Optional.empty();
		FlowEnricher enricher = new FlowEnricher("node-1", this.endpoints,
				(id) -> this.labels.getOrDefault(id, List.of()), PolicyCorrelation.NONE, remote);
		this.endpoints.endpointChanged(status(7, "shop", "web-1", "10.0.0.7", 100));

		Flow flow = enricher.enrich(Flow.newBuilder()
			.setIP(IP.newBuilder().setSource("10.0.0.7").setDestination("10.9.9.9"))
			.setSource(Endpoint.newBuilder().setID(7).setIdentity(100))
			.setDestination(Endpoint.newBuilder().setIdentity(200))
			.build());
		assertThat(flow.getDestination().getPodName()).isEqualTo("db-0");
		assertThat(flow.getDestination().getNamespace()).isEqualTo("bank");
		assertThat(flow.getDestination().getID()).as("not a local endpoint").isZero();
		assertThat(flow.getDestination().getLabelsList()).contains("k8s:app=db");
		assertThat(flow.getSource().getPodName()).as("local endpoints come first").isEqualTo("web-1");

		Flow unknown = enricher.enrich(Flow.newBuilder()
			.setIP(IP.newBuilder().setSource("10.0.0.7").setDestination("10.9.9.8"))
			.setDestination(Endpoint.newBuilder().setIdentity(200))
			.build());
		assertThat(unknown.getDestination().getPodName()).as("no CiliumEndpoint: no pod").isEmpty();
		assertThat(unknown.getDestination().getNamespace()).as("from its labels").isEqualTo("bank");
	}

	private static EndpointStatus status(int id, String namespace, String pod, String address, long identity) {
		return new EndpointStatus(id, "c" + id, "eth0", "lxc" + id, 10 + id, namespace, pod, address, identity, "ready",
				"test");
	}

}
