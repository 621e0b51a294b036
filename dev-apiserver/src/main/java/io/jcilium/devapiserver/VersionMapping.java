package io.jcilium.devapiserver;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Custom resources served in several versions (CiliumLoadBalancerIPPool: v2 and v2alpha1)
 * are kept in one version, the CRD's storage version, as the API server does with the
 * {@code None} conversion strategy upstream's CRDs use: only {@code apiVersion} changes.
 * The store keys objects by version, so without this an object applied as v2alpha1 would
 * be invisible to {@code kubectl get}, which reads the preferred version.
 *
 * @param requested the path as the client sent it
 * @param stored the same path at the storage version
 */
record VersionMapping(ResourcePath requested, ResourcePath stored) {

	static VersionMapping resolve(ResourcePath path, List<JsonNode> crds) {
		for (JsonNode crd : crds) {
			JsonNode spec = crd.path("spec");
			if (!spec.path("group").asText().equals(path.group())
					|| !spec.path("names").path("plural").asText().equals(path.resource())) {
				continue;
			}
			for (JsonNode version : spec.path("versions")) {
				if (version.path("storage").asBoolean(false)) {
					String storage = version.path("name").asText();
					return new VersionMapping(path, new ResourcePath(path.group(), storage, path.namespace(),
							path.resource(), path.name(), path.subresource()));
				}
			}
		}
		return new VersionMapping(path, path);
	}

	boolean converts() {
		return !this.requested.version().equals(this.stored.version());
	}

	/** Rewrite a request body to the storage version. */
	JsonNode toStored(JsonNode body) {
		return withApiVersion(body, this.stored.groupVersion());
	}

	/** Rewrite an answer (object or list) to the version the client asked for. */
	JsonNode toRequested(JsonNode body) {
		return withApiVersion(body, this.requested.groupVersion());
	}

	private JsonNode withApiVersion(JsonNode body, String apiVersion) {
		if (!converts() || !(body instanceof ObjectNode object) || "Status".equals(body.path("kind").asText())) {
			return body;
		}
		if (object.has("items")) {
			for (JsonNode item : object.path("items")) {
				if (item instanceof ObjectNode itemObject) {
					itemObject.put("apiVersion", apiVersion);
				}
			}
			return object;
		}
		if (object.has("apiVersion")) {
			object.put("apiVersion", apiVersion);
		}
		return object;
	}

	/** The raw path to send to the store, with the client's query string. */
	String storedPath(String rawPath, String rawQuery) {
		String path = rawPath;
		if (converts()) {
			String from = "/apis/" + this.requested.groupVersion() + "/";
			path = "/apis/" + this.stored.groupVersion() + "/" + rawPath.substring(from.length());
		}
		return path + ((rawQuery != null) ? "?" + rawQuery : "");
	}

}
