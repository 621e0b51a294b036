package io.jcilium.devapiserver.openapi;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns a CRD's OpenAPI v3 schema into the Swagger 2.0 schema (as gnostic's protobuf
 * {@code openapi.v2.Schema}) that kubectl's client-side validation reads from
 * {@code /openapi/v2}.
 * <p>
 * Swagger 2.0 has no {@code anyOf}, {@code nullable} or int-or-string, so, like the API
 * server's own conversion, such nodes lose their type and accept any value; objects that
 * preserve unknown fields accept anything too. Everything else keeps its type,
 * properties, items and required fields, which is what lets kubectl name an unknown field
 * or a wrong type. Field numbers are those of gnostic's {@code OpenAPIv2.proto}.
 */
final class SwaggerV2Schemas {

	// openapi.v2.Schema
	private static final int SCHEMA_REQUIRED = 19;

	private static final int SCHEMA_ADDITIONAL_PROPERTIES = 21;

	private static final int SCHEMA_TYPE = 22;

	private static final int SCHEMA_ITEMS = 23;

	private static final int SCHEMA_PROPERTIES = 25;

	private static final int SCHEMA_VENDOR_EXTENSION = 31;

	// AdditionalPropertiesItem (oneof schema = 1, boolean = 2), TypeItem, ItemsItem,
	// Properties, NamedSchema, NamedAny, Any
	private static final int ADDITIONAL_SCHEMA = 1;

	private static final int ADDITIONAL_BOOLEAN = 2;

	private static final int TYPE_VALUE = 1;

	private static final int ITEMS_SCHEMA = 1;

	private static final int PROPERTIES_ENTRY = 1;

	private static final int NAMED_NAME = 1;

	private static final int NAMED_VALUE = 2;

	private static final int ANY_YAML = 2;

	private SwaggerV2Schemas() {
	}

	/**
	 * Encode a whole object's schema, marked with its group/version/kind so kubectl finds
	 * it.
	 * @param entry the CRD version
	 * @return an {@code openapi.v2.Schema} message
	 */
	static ProtoWriter definition(CrdSchemas.Entry entry) {
		ProtoWriter schema = convert(entry.schema());
		String gvk = "- group: " + entry.group() + "\n  kind: " + entry.kind() + "\n  version: " + entry.version()
				+ "\n";
		ProtoWriter any = new ProtoWriter().string(ANY_YAML, gvk);
		schema.message(SCHEMA_VENDOR_EXTENSION,
				new ProtoWriter().string(NAMED_NAME, "x-kubernetes-group-version-kind").message(NAMED_VALUE, any));
		return schema;
	}

	static ProtoWriter convert(JsonNode node) {
		ProtoWriter schema = new ProtoWriter();
		if (isUntyped(node)) {
			return schema;
		}
		String type = node.path("type").asText("");
		JsonNode properties = node.path("properties");
		boolean hasProperties = properties.isObject() && properties.size() > 0;
		if (type.equals("array")) {
			if (!node.path("items").isObject()) {
				return schema;
			}
			schema.message(SCHEMA_TYPE, new ProtoWriter().string(TYPE_VALUE, "array"));
			schema.message(SCHEMA_ITEMS, new ProtoWriter().message(ITEMS_SCHEMA, convert(node.get("items"))));
			return schema;
		}
		if (type.equals("object") || hasProperties) {
			schema.message(SCHEMA_TYPE, new ProtoWriter().string(TYPE_VALUE, "object"));
			for (JsonNode required : node.path("required")) {
				schema.string(SCHEMA_REQUIRED, required.asText());
			}
			if (hasProperties) {
				ProtoWriter entries = new ProtoWriter();
				for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator(); it.hasNext();) {
					Map.Entry<String, JsonNode> property = it.next();
					entries.message(PROPERTIES_ENTRY, new ProtoWriter().string(NAMED_NAME, property.getKey())
						.message(NAMED_VALUE, convert(property.getValue())));
				}
				schema.message(SCHEMA_PROPERTIES, entries);
			}
			JsonNode additional = node.path("additionalProperties");
			if (additional.isObject()) {
				schema.message(SCHEMA_ADDITIONAL_PROPERTIES,
						new ProtoWriter().message(ADDITIONAL_SCHEMA, convert(additional)));
			}
			else if (additional.isBoolean()) {
				schema.message(SCHEMA_ADDITIONAL_PROPERTIES,
						new ProtoWriter().bool(ADDITIONAL_BOOLEAN, additional.asBoolean()));
			}
			return schema;
		}
		if (type.equals("string") || type.equals("integer") || type.equals("number") || type.equals("boolean")) {
			schema.message(SCHEMA_TYPE, new ProtoWriter().string(TYPE_VALUE, type));
		}
		return schema;
	}

	private static boolean isUntyped(JsonNode node) {
		return node.path("x-kubernetes-int-or-string").asBoolean(false)
				|| node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
				|| node.path("nullable").asBoolean(false);
	}

}
