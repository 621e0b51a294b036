package io.jcilium.api.crd;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

/**
 * The structural part of what the API server checks against a CRD schema with strict
 * field validation (kubectl's default): no unknown fields, right types, enums. Enough to
 * show an upstream manifest would be accepted; not a full OpenAPI validator.
 */
final class SchemaValidator {

	private SchemaValidator() {
	}

	static List<String> validate(JsonNode object, JSONSchemaProps schema) {
		List<String> problems = new ArrayList<>();
		Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
		while (fields.hasNext()) {
			Map.Entry<String, JsonNode> field = fields.next();
			if (!List.of("apiVersion", "kind", "metadata").contains(field.getKey())) {
				check(field.getValue(), schema.getProperties().get(field.getKey()), "." + field.getKey(), problems);
			}
		}
		return problems;
	}

	private static void check(JsonNode value, JSONSchemaProps schema, String path, List<String> problems) {
		if (schema == null) {
			problems.add(path + ": unknown field");
			return;
		}
		if (Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields()) && schema.getProperties().isEmpty()) {
			return;
		}
		if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
			if (!value.isInt() && !value.isTextual()) {
				problems.add(path + ": must be an integer or a string");
			}
			return;
		}
		String type = schema.getType();
		if (type == null) {
			problems.add(path + ": schema has no type");
			return;
		}
		switch (type) {
			case "object" -> checkObject(value, schema, path, problems);
			case "array" -> {
				if (!value.isArray()) {
					problems.add(path + ": must be an array");
					return;
				}
				for (int i = 0; i < value.size(); i++) {
					check(value.get(i), schema.getItems().getSchema(), path + "[" + i + "]", problems);
				}
			}
			case "string" -> {
				if (!value.isTextual()) {
					problems.add(path + ": must be a string");
				}
				else if (!schema.getEnum().isEmpty()
						&& schema.getEnum().stream().noneMatch((allowed) -> allowed.asText().equals(value.asText()))) {
					problems.add(path + ": '" + value.asText() + "' is not one of " + schema.getEnum());
				}
			}
			case "integer" -> {
				if (!value.isIntegralNumber()) {
					problems.add(path + ": must be an integer");
				}
			}
			case "boolean" -> {
				if (!value.isBoolean()) {
					problems.add(path + ": must be a boolean");
				}
			}
			default -> {
				if (!value.isNumber()) {
					problems.add(path + ": must be a " + type);
				}
			}
		}
	}

	private static void checkObject(JsonNode value, JSONSchemaProps schema, String path, List<String> problems) {
		if (!value.isObject()) {
			problems.add(path + ": must be an object");
			return;
		}
		Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
		while (fields.hasNext()) {
			Map.Entry<String, JsonNode> field = fields.next();
			JSONSchemaProps property = schema.getProperties().get(field.getKey());
			if (property == null && schema.getAdditionalProperties() != null) {
				property = schema.getAdditionalProperties().getSchema();
			}
			if (property == null && Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
				continue;
			}
			check(field.getValue(), property, path + "." + field.getKey(), problems);
		}
	}

}
