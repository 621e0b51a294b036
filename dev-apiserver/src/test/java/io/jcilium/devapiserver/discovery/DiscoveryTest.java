package io.jcilium.devapiserver.discovery;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static JsonNode lbPoolCrd() throws Exception {
		return JSON.readTree("""
				{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
				 "metadata":{"name":"ciliumloadbalancerippools.cilium.io"},
				 "spec":{"group":"cilium.io","scope":"Cluster",
				  "names":{"kind":"CiliumLoadBalancerIPPool","plural":"ciliumloadbalancerippools",
				           "singular":"ciliumloadbalancerippool","shortNames":["ippools","lbippool"]},
				  "versions":[{"name":"v2alpha1","served":true,"storage":false},
				              {"name":"v2","served":true,"storage":true,"subresources":{"status":{}}}]}}
				""");
	}

	@Test
	void customResourcesAreListedWithShortNamesScopeAndStatus() throws Exception {
		JsonNode list = Discovery.of(List.of(lbPoolCrd())).resourceList("cilium.io", "v2");
		assertThat(list.path("groupVersion").asText()).isEqualTo("cilium.io/v2");
		JsonNode pools = list.path("resources").get(0);
		assertThat(pools.path("name").asText()).isEqualTo("ciliumloadbalancerippools");
		assertThat(pools.path("namespaced").asBoolean()).isFalse();
		assertThat(pools.path("shortNames").toString()).isEqualTo("[\"ippools\",\"lbippool\"]");
		assertThat(list.path("resources").get(1).path("name").asText()).isEqualTo("ciliumloadbalancerippools/status");
	}

	@Test
	void preferredVersionIsTheHighestPriorityOne() throws Exception {
		JsonNode group = Discovery.of(List.of(lbPoolCrd())).group("cilium.io");
		assertThat(group.path("preferredVersion").path("version").asText()).isEqualTo("v2");
		assertThat(group.path("versions").findValuesAsText("version")).containsExactly("v2", "v2alpha1");
	}

	@Test
	void unknownGroupVersionIsNotServed() throws Exception {
		assertThat(Discovery.of(List.of(lbPoolCrd())).resourceList("cilium.io", "v3")).isNull();
		assertThat(Discovery.of(List.of()).group("cilium.io")).isNull();
	}

	@Test
	void coreResourcesCarryKubectlsShortNames() {
		JsonNode core = Discovery.of(List.of()).resourceList("", "v1");
		assertThat(core.path("groupVersion").asText()).isEqualTo("v1");
		assertThat(core.findValues("shortNames").toString()).contains("\"ns\"", "\"po\"", "\"svc\"");
	}

}
