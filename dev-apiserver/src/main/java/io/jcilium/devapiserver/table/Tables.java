package io.jcilium.devapiserver.table;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Server-side table output ({@code meta.k8s.io/v1 Table}), which {@code kubectl get} asks
 * for with {@code Accept: application/json;as=Table;...}. Each row carries the object's
 * metadata ({@code PartialObjectMetadata}), from which kubectl adds the NAMESPACE column.
 */
public final class Tables {

	private static final ObjectMapper JSON = new ObjectMapper();

	private Tables() {
	}

	/**
	 * A table of objects.
	 * @param group the resource's group
	 * @param resource the plural resource name
	 * @param printerColumns a CRD version's {@code additionalPrinterColumns}, or null
	 * @param objects the objects, one row each
	 * @param resourceVersion the list's resource version, or null
	 * @return the table
	 */
	public static ObjectNode table(String group, String resource, JsonNode printerColumns, List<JsonNode> objects,
			String resourceVersion) {
		List<Columns.Column> columns = Columns.forResource(group, resource, printerColumns, Instant.now());
		ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
		ObjectNode metadata = table.putObject("metadata");
		if (resourceVersion != null && !resourceVersion.isEmpty()) {
			metadata.put("resourceVersion", resourceVersion);
		}
		ArrayNode definitions = table.putArray("columnDefinitions");
		for (Columns.Column column : columns) {
			definitions.addObject()
				.put("name", column.name())
				.put("type", "string")
				.put("format", column.format())
				.put("description", "")
				.put("priority", column.priority());
		}
		ArrayNode rows = table.putArray("rows");
		for (JsonNode object : objects) {
			ObjectNode row = rows.addObject();
			ArrayNode cells = row.putArray("cells");
			columns.forEach((column) -> cells.add(column.cell().apply(object)));
			ObjectNode partial = row.putObject("object")
				.put("kind", "PartialObjectMetadata")
				.put("apiVersion", "meta.k8s.io/v1");
			partial.set("metadata", object.path("metadata").deepCopy());
		}
		return table;
	}

}
