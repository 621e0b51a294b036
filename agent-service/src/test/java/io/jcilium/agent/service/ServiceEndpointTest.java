package io.jcilium.agent.service;

import java.util.List;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.InMemoryLbMaps;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.LbProgrammer;
import io.jcilium.agent.service.lb.Scope;
import io.jcilium.agent.service.lb.ServiceName;
import io.jcilium.common.net.Protocol;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service view lists what the programmer wrote into the LB maps, frontend by frontend
 * with the ids the maps hold, as JSON the way actuator writes it (the console's
 * ServiceCommandsTest reads this shape), and says why when an ID is unknown.
 */
class ServiceEndpointTest {

	private static final L4Address WEB_VIP = L4Address.of("10.96.0.10", 80, Protocol.TCP);

	private static final L4Address WEB_NODE_PORT = L4Address.of("192.168.1.5", 30080, Protocol.TCP);

	private static final L4Address DNS_VIP = L4Address.of("fd00:96::a", 53, Protocol.UDP);

	private final InMemoryLbMaps maps = new InMemoryLbMaps();

	private final LbProgrammer programmer = new LbProgrammer(this.maps);

	private final ServiceEndpoint endpoint = new ServiceEndpoint(this.programmer);

	@Test
	void listsEveryFrontendWithItsIdTypeFlagsAndBackendsAsTheMapsHoldThem() {
		List<L4Address> pods = List.of(L4Address.of("10.0.1.1", 8080, Protocol.TCP),
				L4Address.of("10.0.1.2", 8080, Protocol.TCP));
		this.programmer.apply(new ServiceName("shop", "web"),
				List.of(new LbFrontend(new FrontendKey(WEB_VIP, Scope.EXTERNAL), FrontendKind.CLUSTER_IP,
						FrontendKind.CLUSTER_IP.flag() | FrontendKind.AFFINITY, 600, pods),
						new LbFrontend(new FrontendKey(WEB_NODE_PORT, Scope.EXTERNAL), FrontendKind.NODE_PORT,
								FrontendKind.NODE_PORT.flag() | FrontendKind.EXT_LOCAL, 0, pods.subList(1, 2))));
		this.programmer.apply(new ServiceName("kube-system", "dns"),
				List.of(new LbFrontend(new FrontendKey(DNS_VIP, Scope.EXTERNAL), FrontendKind.CLUSTER_IP,
						FrontendKind.CLUSTER_IP.flag(), 0, List.of())));

		JsonNode list = new JsonMapper().valueToTree(this.endpoint.services());

		assertThat(list).hasSize(3);
		JsonNode clusterIp = list.get(0);
		assertThat(clusterIp.toString())
			.isEqualTo("{\"id\":" + this.maps.masters.get(new FrontendKey(WEB_VIP, Scope.EXTERNAL)).reverseNat()
					+ ",\"service\":\"shop/web\",\"frontend\":\"10.96.0.10:80/TCP\",\"scope\":\"external\","
					+ "\"type\":\"ClusterIP\",\"flags\":[\"sessionAffinity\",\"non-routable\"],"
					+ "\"affinityTimeoutSeconds\":600,\"backends\":["
					+ "{\"slot\":1,\"backendId\":1,\"address\":\"10.0.1.1\",\"port\":8080,\"protocol\":\"TCP\","
					+ "\"state\":\"active\"},"
					+ "{\"slot\":2,\"backendId\":2,\"address\":\"10.0.1.2\",\"port\":8080,\"protocol\":\"TCP\","
					+ "\"state\":\"active\"}]}");
		JsonNode nodePort = list.get(1);
		assertThat(nodePort.path("type").asText()).isEqualTo("NodePort");
		assertThat(nodePort.path("flags").toString()).isEqualTo("[\"Local\"]");
		assertThat(nodePort.path("backends").get(0).path("backendId").asInt()).isEqualTo(2);
		assertThat(nodePort.path("backends").get(0).path("slot").asInt()).isEqualTo(1);
		JsonNode dns = list.get(2);
		assertThat(dns.path("frontend").asText()).isEqualTo("[fd00:96::a]:53/UDP");
		assertThat(dns.path("backends")).isEmpty();
		assertThat(list.findValues("id").stream().map(JsonNode::asInt).toList()).doesNotHaveDuplicates().isSorted();
	}

	@Test
	void oneIdGivesItsEntriesAndAnUnknownIdIsNotFoundSayingWhereToLook() {
		this.programmer.apply(new ServiceName("shop", "web"),
				List.of(new LbFrontend(new FrontendKey(WEB_VIP, Scope.EXTERNAL), FrontendKind.CLUSTER_IP,
						FrontendKind.CLUSTER_IP.flag(), 0, List.of(L4Address.of("10.0.1.1", 8080, Protocol.TCP)))));
		int id = this.maps.masters.get(new FrontendKey(WEB_VIP, Scope.EXTERNAL)).reverseNat();

		WebEndpointResponse<Object> found = this.endpoint.service(id);
		assertThat(found.getStatus()).isEqualTo(200);
		JsonNode entries = new JsonMapper().valueToTree(found.getBody());
		assertThat(entries).hasSize(1);
		assertThat(entries.get(0).path("service").asText()).isEqualTo("shop/web");

		WebEndpointResponse<Object> unknown = this.endpoint.service(id + 1);
		assertThat(unknown.getStatus()).isEqualTo(404);
		assertThat(unknown.getBody())
			.hasToString("{message=no service with ID " + (id + 1) + " on this node; 'service list' shows the IDs}");
	}

}
