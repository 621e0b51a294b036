package io.jcilium.devapiserver.table;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TablesTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void serviceRowHasKubectlsColumns() throws Exception {
		JsonNode service = JSON.readTree("""
				{"metadata":{"name":"web","namespace":"demo"},
				 "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10",
				         "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]},
				 "status":{"loadBalancer":{"ingress":[{"ip":"20.0.20.100"}]}}}
				""");
		JsonNode table = Tables.table("", "services", null, List.of(service), "7");
		assertThat(table.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Type",
				"Cluster-IP", "External-IP", "Port(s)", "Age");
		assertThat(table.path("rows").get(0).path("cells").toString())
			.startsWith("[\"web\",\"LoadBalancer\",\"10.96.0.10\",\"20.0.20.100\",\"80:30080/TCP,53/UDP\"");
		assertThat(table.path("rows").get(0).path("object").path("metadata").path("namespace").asText())
			.isEqualTo("demo");
		assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("7");
	}

	@Test
	void customResourceGetsItsPrinterColumns() throws Exception {
		JsonNode pool = JSON.readTree("{\"metadata\":{\"name\":\"blue\"},\"spec\":{\"disabled\":false,"
				+ "\"blocks\":[{\"cidr\":\"10.0.10.0/24\"},{\"cidr\":\"2004::/64\"}]}}");
		JsonNode columns = JSON.readTree("[{\"name\":\"Disabled\",\"jsonPath\":\".spec.disabled\"},"
				+ "{\"name\":\"CIDRs\",\"jsonPath\":\".spec.blocks[*].cidr\",\"priority\":1}]");
		JsonNode table = Tables.table("cilium.io", "ciliumloadbalancerippools", columns, List.of(pool), null);
		assertThat(table.path("columnDefinitions").findValuesAsText("name")).as("no implicit Age with columns")
			.containsExactly("Name", "Disabled", "CIDRs");
		assertThat(table.path("rows").get(0).path("cells").get(1).asText()).isEqualTo("false");
		assertThat(table.path("rows").get(0).path("cells").get(2).asText()).isEqualTo("10.0.10.0/24,2004::/64");
	}

	@Test
	void printerColumnsFilterByFieldReadEscapedKeysAndShowDatesAsAges() throws Exception {
		JsonNode node = JSON.readTree("""
				{"metadata":{"name":"k8s1","creationTimestamp":"2026-12-05T10:00:00Z",
				             "labels":{"io.kubernetes.pod.namespace":"shop"}},
				 "spec":{"addresses":[{"type":"InternalIP","ip":"192.168.56.11"},
				                      {"type":"CiliumInternalIP","ip":"10.0.1.1"}]}}
				""");
		JsonNode columns = JSON.readTree(
				"""
						[{"name":"CiliumInternalIP","type":"string","jsonPath":".spec.addresses[?(@.type==\\"CiliumInternalIP\\")].ip"},
						 {"name":"InternalIP","type":"string","jsonPath":".spec.addresses[?(@.type=='InternalIP')].ip"},
						 {"name":"Namespace","type":"string","jsonPath":".metadata.labels.io\\\\.kubernetes\\\\.pod\\\\.namespace"},
						 {"name":"Valid","type":"string","jsonPath":".status.conditions[?(@.type=='Valid')].status"},
						 {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]
						""");
		JsonNode cells = Tables.table("cilium.io", "ciliumnodes", columns, List.of(node), null)
			.path("rows")
			.get(0)
			.path("cells");

		assertThat(cells.get(1).asText()).isEqualTo("10.0.1.1");
		assertThat(cells.get(2).asText()).isEqualTo("192.168.56.11");
		assertThat(cells.get(3).asText()).isEqualTo("shop");
		assertThat(cells.get(4).isNull()).as("a missing value is null, which kubectl prints as <none>").isTrue();
		assertThat(cells.get(5).asText()).matches("\\d+(s|m|h|d|y).*");
	}

	@Test
	void agesReadLikeKubectls() {
		assertThat(Ages.format(Duration.ofSeconds(45))).isEqualTo("45s");
		assertThat(Ages.format(Duration.ofSeconds(192))).isEqualTo("3m12s");
		assertThat(Ages.format(Duration.ofMinutes(302))).isEqualTo("5h2m");
		assertThat(Ages.format(Duration.ofDays(3))).isEqualTo("3d");
		assertThat(Ages.since("not a time", java.time.Instant.now())).isEqualTo("<unknown>");
	}

}
