package io.jcilium.devapiserver.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The schemas the CRDs in the store declare, one per served version, each completed with
 * the fields every object has ({@code apiVersion}, {@code kind}, {@code metadata}) as the
 * API server does when it publishes a CRD's schema.
 */
final class CrdSchemas {

	private CrdSchemas() {
	}

	static List<Entry> of(List<JsonNode> crds) {
		List<Entry> entries = new ArrayList<>();
		for (JsonNode crd : crds) {
			JsonNode spec = crd.path("spec");
			String group = spec.path("group").asText();
			String kind = spec.path("names").path("kind").asText();
			String plural = spec.path("names").path("plural").asText();
			boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
			for (JsonNode version : spec.path("versions")) {
				JsonNode schema = version.path("schema").path("openAPIV3Schema");
				if (!version.path("served").asBoolean(true) || !schema.isObject()) {
					continue;
				}
				entries.add(new Entry(group, version.path("name").asText(), kind, plural, namespaced,
						withObjectFields((ObjectNode) schema.deepCopy())));
			}
		}
		return entries;
	}

	private static ObjectNode withObjectFields(ObjectNode schema) {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		schema.put("type", "object");
		ObjectNode properties = (schema.get("properties") instanceof ObjectNode existing) ? existing
				: schema.putObject("properties");
		ObjectNode completed = nodes.objectNode();
		completed.set("apiVersion",
				properties.has("apiVersion") ? properties.get("apiVersion") : nodes.objectNode().put("type", "string"));
		completed.set("kind",
				properties.has("kind") ? properties.get("kind") : nodes.objectNode().put("type", "string"));
		completed.set("metadata",
				properties.has("metadata") ? properties.get("metadata") : nodes.objectNode().put("type", "object"));
		properties.properties().forEach((field) -> completed.set(field.getKey(), field.getValue()));
		schema.set("properties", completed);
		return schema;
	}

	/**
	 * One custom resource version's schema.
	 *
	 * @param group the group
	 * @param version the version
	 * @param kind the kind
	 * @param plural the plural resource name
	 * @param namespaced whether objects live in namespaces
	 * @param schema the OpenAPI v3 schema of the whole object
	 */
	record Entry(String group, String version, String kind, String plural, boolean namespaced, ObjectNode schema) {

		/** The definition name the API server uses: reversed group, version, kind. */
		String definitionName() {
			String[] parts = this.group.split("\\.");
			StringBuilder name = new StringBuilder();
			for (int i = parts.length - 1; i >= 0; i--) {
				name.append(parts[i]).append('.');
			}
			return name.append(this.version).append('.').append(this.kind).toString();
		}

		String groupVersionPath() {
			return "apis/" + this.group + "/" + this.version;
		}

		/** The object path with placeholders, as in the API server's OpenAPI paths. */
		String objectPath() {
			String namespace = this.namespaced ? "/namespaces/{namespace}" : "";
			return "/" + groupVersionPath() + namespace + "/" + this.plural.toLowerCase(Locale.ROOT) + "/{name}";
		}

	}

}
