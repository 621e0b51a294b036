package io.jcilium.devapiserver.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The legacy (unaggregated) discovery documents: {@code /api}, {@code /apis},
 * {@code /apis/<group>}, {@code /api/v1} and {@code /apis/<group>/<version>}. Built-in
 * resources come from a fixed table; custom resources from the CRDs the store holds at
 * the moment of the request, so a CRD applied a second ago is usable at once.
 */
public final class Discovery {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final List<ApiResource> resources;

	private Discovery(List<ApiResource> resources) {
		this.resources = resources;
	}

	/**
	 * Discovery for the built-ins plus the given CRDs.
	 * @param crds CRD objects as JSON
	 * @return the discovery
	 */
	public static Discovery of(List<JsonNode> crds) {
		List<ApiResource> all = new ArrayList<>(BuiltinResources.ALL);
		for (JsonNode crd : crds) {
			all.addAll(CustomResources.resources(crd));
		}
		return new Discovery(all);
	}

	/** Every resource known. */
	public List<ApiResource> resources() {
		return this.resources;
	}

	/**
	 * The resource a path names.
	 * @param group the group
	 * @param version the version
	 * @param plural the plural name
	 * @return the resource, if known
	 */
	public Optional<ApiResource> find(String group, String version, String plural) {
		return this.resources.stream()
			.filter((r) -> r.group().equals(group) && r.version().equals(version) && r.name().equals(plural))
			.findFirst();
	}

	/** {@code /api}: the core group's versions. */
	public ObjectNode apiVersions(String serverAddress) {
		ObjectNode doc = JSON.createObjectNode().put("kind", "APIVersions");
		doc.putArray("versions").add("v1");
		doc.putArray("serverAddressByClientCIDRs")
			.addObject()
			.put("clientCIDR", "0.0.0.0/0")
			.put("serverAddress", serverAddress);
		return doc;
	}

	/** {@code /apis}: every named group. */
	public ObjectNode groupList() {
		ObjectNode doc = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
		ArrayNode groups = doc.putArray("groups");
		versionsByGroup().forEach((group, versions) -> {
			if (!group.isEmpty()) {
				groups.add(group(group, versions));
			}
		});
		return doc;
	}

	/**
	 * {@code /apis/<group>}.
	 * @param group the group
	 * @return the document, or null for an unknown group
	 */
	public ObjectNode group(String group) {
		List<String> versions = versionsByGroup().get(group);
		if (versions == null) {
			return null;
		}
		return group(group, versions).put("kind", "APIGroup").put("apiVersion", "v1");
	}

	/**
	 * {@code /api/v1} or {@code /apis/<group>/<version>}.
	 * @param group the group, empty for core
	 * @param version the version
	 * @return the document, or null when nothing is served there
	 */
	public ObjectNode resourceList(String group, String version) {
		List<ApiResource> served = this.resources.stream()
			.filter((r) -> r.group().equals(group) && r.version().equals(version))
			.toList();
		if (served.isEmpty()) {
			return null;
		}
		ObjectNode doc = JSON.createObjectNode()
			.put("kind", "APIResourceList")
			.put("apiVersion", "v1")
			.put("groupVersion", served.get(0).groupVersion());
		ArrayNode list = doc.putArray("resources");
		for (ApiResource resource : served) {
			ObjectNode entry = list.addObject()
				.put("name", resource.name())
				.put("singularName", resource.singular())
				.put("namespaced", resource.namespaced())
				.put("kind", resource.kind());
			ApiResource.VERBS.forEach(entry.putArray("verbs")::add);
			if (!resource.shortNames().isEmpty()) {
				resource.shortNames().forEach(entry.putArray("shortNames")::add);
			}
			if (resource.hasStatus()) {
				ObjectNode status = list.addObject()
					.put("name", resource.name() + "/status")
					.put("singularName", "")
					.put("namespaced", resource.namespaced())
					.put("kind", resource.kind());
				ApiResource.STATUS_VERBS.forEach(status.putArray("verbs")::add);
			}
		}
		return doc;
	}

	private ObjectNode group(String group, List<String> versions) {
		ObjectNode entry = JSON.createObjectNode().put("name", group);
		ArrayNode list = entry.putArray("versions");
		for (String version : versions) {
			list.addObject().put("groupVersion", group + "/" + version).put("version", version);
		}
		entry.putObject("preferredVersion")
			.put("groupVersion", group + "/" + versions.get(0))
			.put("version", versions.get(0));
		return entry;
	}

	/**
	 * Versions per group, each list ordered by Kubernetes version priority (v2 before
	 * v2alpha1).
	 */
	private Map<String, List<String>> versionsByGroup() {
		Map<String, Set<String>> byGroup = new LinkedHashMap<>();
		for (ApiResource resource : this.resources) {
			byGroup.computeIfAbsent(resource.group(), (g) -> new LinkedHashSet<>()).add(resource.version());
		}
		Map<String, List<String>> sorted = new LinkedHashMap<>();
		byGroup.forEach((group, versions) -> sorted.put(group,
				versions.stream().sorted(Comparator.comparing(KubeVersion::parse)).toList()));
		return sorted;
	}

}
