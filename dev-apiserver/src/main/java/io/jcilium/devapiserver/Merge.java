package io.jcilium.devapiserver;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Patches the CRUD store cannot apply itself, approximated as a recursive merge:
 * <ul>
 * <li>JSON merge patch (RFC 7386): objects merge, {@code null} removes, anything else
 * replaces (lists included).</li>
 * <li>Strategic merge patch and server-side apply: the same, except that lists of objects
 * that all carry a {@code name} (containers, ports, env, volumes) merge element by
 * element on that name, as their merge key in the real API; {@code $}-directives are
 * dropped.</li>
 * </ul>
 * This is the dev stand-in's approximation: no field ownership, no other merge keys.
 */
final class Merge {

	private Merge() {
	}

	static JsonNode jsonMerge(JsonNode target, JsonNode patch) {
		return merge(target, patch, false);
	}

	static JsonNode strategicMerge(JsonNode target, JsonNode patch) {
		return merge(target, patch, true);
	}

	private static JsonNode merge(JsonNode target, JsonNode patch, boolean strategic) {
		if (patch.isArray() && strategic && target != null && target.isArray() && namedObjects(patch)
				&& namedObjects(target)) {
			return mergeByName((ArrayNode) target, (ArrayNode) patch);
		}
		if (!patch.isObject()) {
			return patch.deepCopy();
		}
		ObjectNode result = (target != null && target.isObject()) ? ((ObjectNode) target).deepCopy()
				: com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
		for (Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator(); it.hasNext();) {
			Map.Entry<String, JsonNode> field = it.next();
			String key = field.getKey();
			if (strategic && key.startsWith("$")) {
				continue;
			}
			if (field.getValue().isNull()) {
				result.remove(key);
			}
			else {
				result.set(key, merge(result.get(key), field.getValue(), strategic));
			}
		}
		return result;
	}

	private static ArrayNode mergeByName(ArrayNode target, ArrayNode patch) {
		ArrayNode result = target.deepCopy();
		for (JsonNode element : patch) {
			String name = element.get("name").asText();
			int index = indexOf(result, name);
			boolean delete = "delete".equals(element.path("$patch").asText());
			if (index >= 0 && delete) {
				result.remove(index);
			}
			else if (index >= 0) {
				result.set(index, merge(result.get(index), element, true));
			}
			else if (!delete) {
				result.add(merge(null, element, true));
			}
		}
		return result;
	}

	private static int indexOf(ArrayNode list, String name) {
		for (int i = 0; i < list.size(); i++) {
			if (list.get(i).path("name").asText().equals(name)) {
				return i;
			}
		}
		return -1;
	}

	private static boolean namedObjects(JsonNode list) {
		for (JsonNode element : list) {
			if (!element.isObject() || !element.path("name").isTextual()) {
				return false;
			}
		}
		return true;
	}

}
