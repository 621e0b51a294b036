package io.jcilium.devapiserver.discovery;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The resources a CRD defines: one per served version. */
final class CustomResources {

	private CustomResources() {
	}

	static List<ApiResource> resources(JsonNode crd) {
		JsonNode spec = crd.path("spec");
		JsonNode names = spec.path("names");
		List<String> shortNames = new ArrayList<>();
		names.path("shortNames").forEach((n) -> shortNames.add(n.asText()));
		String kind = names.path("kind").asText();
		String singular = names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT));
		boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
		List<ApiResource> resources = new ArrayList<>();
		for (JsonNode version : spec.path("versions")) {
			if (!version.path("served").asBoolean(true)) {
				continue;
			}
			boolean hasStatus = version.path("subresources").has("status");
			resources.add(new ApiResource(spec.path("group").asText(), version.path("name").asText(),
					names.path("plural").asText(), singular, kind, namespaced, List.copyOf(shortNames), hasStatus));
		}
		return resources;
	}

}
