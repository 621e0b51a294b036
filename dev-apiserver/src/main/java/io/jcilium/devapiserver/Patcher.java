package io.jcilium.devapiserver;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;

/**
 * PATCH requests the store rejects (strategic merge, server-side apply) or applies
 * differently from the API server (JSON merge patch), done here as read, merge, PUT. JSON
 * Patch ({@code application/json-patch+json}) goes to the store unchanged.
 */
final class Patcher {

	static final String MERGE = "application/merge-patch+json";

	static final String STRATEGIC = "application/strategic-merge-patch+json";

	static final String APPLY = "application/apply-patch+yaml";

	private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

	private final StoreClient store;

	Patcher(StoreClient store) {
		this.store = store;
	}

	static boolean handles(String contentType) {
		String type = mediaType(contentType);
		return type.equals(MERGE) || type.equals(STRATEGIC) || type.equals(APPLY);
	}

	void patch(HttpExchange exchange, VersionMapping versions, String contentType, byte[] body) throws IOException {
		ResourcePath path = versions.stored();
		String type = mediaType(contentType);
		JsonNode patch;
		try {
			patch = type.equals(APPLY) ? YAML.readTree(body) : Exchanges.JSON.readTree(body);
		}
		catch (IOException ex) {
			Exchanges.status(exchange, 400, "BadRequest", "the patch is not valid " + type + ": " + ex.getMessage());
			return;
		}
		if (patch == null || !patch.isObject()) {
			Exchanges.status(exchange, 400, "BadRequest", "the patch must be a JSON object");
			return;
		}
		JsonNode current = this.store.get(path.objectPath());
		if (current == null) {
			if (type.equals(APPLY)) {
				// Server-side apply creates what does not exist yet.
				ObjectNode created = (ObjectNode) versions.toStored(patch.deepCopy());
				Exchanges.objectField(created, "metadata").remove("managedFields");
				forward(exchange, versions, this.store.send("POST", path.collectionPath(), "application/json",
						Exchanges.JSON.writeValueAsBytes(created)));
				return;
			}
			Exchanges.status(exchange, 404, "NotFound", path.resource() + " \"" + path.name() + "\" not found");
			return;
		}
		JsonNode merged = versions
			.toStored(type.equals(MERGE) ? Merge.jsonMerge(current, patch) : Merge.strategicMerge(current, patch));
		ObjectNode metadata = Exchanges.objectField((ObjectNode) merged, "metadata");
		metadata.remove("managedFields");
		if (!patch.path("metadata").has("resourceVersion")) {
			// A patch carries no resourceVersion unless the client asks for a
			// precondition.
			metadata.set("resourceVersion", current.path("metadata").path("resourceVersion"));
		}
		String target = (path.subresource() != null) ? path.objectPath() + "/" + path.subresource() : path.objectPath();
		forward(exchange, versions,
				this.store.send("PUT", target, "application/json", Exchanges.JSON.writeValueAsBytes(merged)));
	}

	private static void forward(HttpExchange exchange, VersionMapping versions, StoreClient.Reply reply)
			throws IOException {
		if (versions.converts() && reply.status() < 300) {
			Exchanges.json(exchange, reply.status(), versions.toRequested(reply.json()));
			return;
		}
		Exchanges.bytes(exchange, reply.status(), reply.contentType(), reply.body());
	}

	private static String mediaType(String contentType) {
		if (contentType == null) {
			return "";
		}
		int semicolon = contentType.indexOf(';');
		return ((semicolon < 0) ? contentType : contentType.substring(0, semicolon)).trim();
	}

}
