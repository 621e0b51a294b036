package io.jcilium.devapiserver.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The columns {@code kubectl get} shows per kind, as the API server's table printers
 * define them for the few built-ins the demo uses; a CRD gets NAME and its
 * {@code additionalPrinterColumns}, or NAME and AGE when it has none.
 */
final class Columns {

	private Columns() {
	}

	static List<Column> forResource(String group, String resource, JsonNode printerColumns, Instant now) {
		List<Column> columns = new ArrayList<>();
		columns.add(new Column("Name", "name", 0, (o) -> o.path("metadata").path("name").asText()));
		Column age = new Column("Age", "", 0, (o) -> Ages.since(creation(o), now));
		if (group.isEmpty()) {
			switch (resource) {
				case "namespaces" -> {
					columns.add(new Column("Status", "", 0, (o) -> o.path("status").path("phase").asText("Active")));
					columns.add(age);
				}
				case "pods" -> {
					columns.add(new Column("Ready", "", 0, Columns::podReady));
					columns.add(new Column("Status", "", 0, (o) -> o.path("status").path("phase").asText("Pending")));
					columns.add(new Column("Restarts", "", 0, Columns::podRestarts));
					columns.add(age);
					columns.add(new Column("IP", "", 1, (o) -> o.path("status").path("podIP").asText("<none>")));
					columns.add(new Column("Node", "", 1, (o) -> o.path("spec").path("nodeName").asText("<none>")));
				}
				case "services" -> {
					columns.add(new Column("Type", "", 0, (o) -> o.path("spec").path("type").asText("ClusterIP")));
					columns
						.add(new Column("Cluster-IP", "", 0, (o) -> o.path("spec").path("clusterIP").asText("<none>")));
					columns.add(new Column("External-IP", "", 0, Columns::externalIps));
					columns.add(new Column("Port(s)", "", 0, Columns::servicePorts));
					columns.add(age);
				}
				default -> columns.add(age);
			}
			return columns;
		}
		if (group.equals("apiextensions.k8s.io") && resource.equals("customresourcedefinitions")) {
			columns.add(new Column("Created At", "", 0, Columns::creation));
			return columns;
		}
		// As the API server: a CRD version without printer columns gets Age; one with
		// columns shows exactly those. Date columns read as ages, missing values as null
		// (kubectl prints <none>).
		if (printerColumns == null || printerColumns.isEmpty()) {
			columns.add(age);
			return columns;
		}
		for (JsonNode column : printerColumns) {
			String jsonPath = column.path("jsonPath").asText();
			boolean date = "date".equals(column.path("type").asText());
			columns.add(new Column(column.path("name").asText(), "", column.path("priority").asInt(0), (o) -> {
				String value = JsonPaths.text(o, jsonPath);
				return (date && value != null) ? Ages.since(value, now) : value;
			}));
		}
		return columns;
	}

	private static String creation(JsonNode object) {
		return object.path("metadata").path("creationTimestamp").asText("");
	}

	private static String podReady(JsonNode pod) {
		int containers = pod.path("spec").path("containers").size();
		int ready = 0;
		for (JsonNode status : pod.path("status").path("containerStatuses")) {
			if (status.path("ready").asBoolean(false)) {
				ready++;
			}
		}
		return ready + "/" + containers;
	}

	private static String podRestarts(JsonNode pod) {
		int restarts = 0;
		for (JsonNode status : pod.path("status").path("containerStatuses")) {
			restarts += status.path("restartCount").asInt(0);
		}
		return Integer.toString(restarts);
	}

	private static String externalIps(JsonNode service) {
		List<String> ips = new ArrayList<>();
		service.path("spec").path("externalIPs").forEach((ip) -> ips.add(ip.asText()));
		for (JsonNode ingress : service.path("status").path("loadBalancer").path("ingress")) {
			ips.add(ingress.has("ip") ? ingress.path("ip").asText() : ingress.path("hostname").asText());
		}
		if (ips.isEmpty()) {
			return "LoadBalancer".equals(service.path("spec").path("type").asText()) ? "<pending>" : "<none>";
		}
		return String.join(",", ips);
	}

	private static String servicePorts(JsonNode service) {
		List<String> ports = new ArrayList<>();
		for (JsonNode port : service.path("spec").path("ports")) {
			String nodePort = port.has("nodePort") ? ":" + port.path("nodePort").asText() : "";
			ports.add(port.path("port").asText() + nodePort + "/" + port.path("protocol").asText("TCP"));
		}
		return ports.isEmpty() ? "<none>" : String.join(",", ports);
	}

	/**
	 * One column.
	 *
	 * @param name the header
	 * @param format {@code name} for the name column, else empty
	 * @param priority 0 for the default view, 1 for {@code -o wide}
	 * @param cell the cell's value for an object
	 */
	record Column(String name, String format, int priority, Function<JsonNode, String> cell) {
	}

}
