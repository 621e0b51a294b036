package io.jcilium.devapiserver;

import java.util.ArrayList;
import java.util.List;

/**
 * A Kubernetes REST path taken apart: {@code /api/v1/namespaces/ns/pods/name/status} or
 * {@code /apis/group/version/plural/name}. The query string is not part of it.
 *
 * @param group the API group, empty for the core group
 * @param version the API version
 * @param namespace the namespace, or null for cluster-scoped paths and all-namespace
 * lists
 * @param resource the plural resource name
 * @param name the object's name, or null for a collection
 * @param subresource e.g. {@code status}, or null
 */
record ResourcePath(String group, String version, String namespace, String resource, String name, String subresource) {

	/**
	 * Parse a request path.
	 * @param path the path, without query string
	 * @return the parts, or null when the path names no resource (discovery, root paths)
	 */
	static ResourcePath parse(String path) {
		List<String> segments = new ArrayList<>();
		for (String segment : path.split("/")) {
			if (!segment.isEmpty()) {
				segments.add(segment);
			}
		}
		String group;
		int rest;
		if (segments.size() >= 3 && segments.get(0).equals("api")) {
			group = "";
			rest = 2;
		}
		else if (segments.size() >= 4 && segments.get(0).equals("apis")) {
			group = segments.get(1);
			rest = 3;
		}
		else {
			return null;
		}
		String version = segments.get(rest - 1);
		List<String> tail = segments.subList(rest, segments.size());
		String namespace = null;
		// namespaces/<ns>/<resource>... names a namespaced resource, except the
		// namespace's
		// own subresources (namespaces/<ns>/status, namespaces/<ns>/finalize).
		if (tail.size() >= 3 && tail.get(0).equals("namespaces") && !isNamespaceSubresource(tail)) {
			namespace = tail.get(1);
			tail = tail.subList(2, tail.size());
		}
		String resource = tail.get(0);
		String name = (tail.size() > 1) ? tail.get(1) : null;
		String subresource = (tail.size() > 2) ? String.join("/", tail.subList(2, tail.size())) : null;
		return new ResourcePath(group, version, namespace, resource, name, subresource);
	}

	private static boolean isNamespaceSubresource(List<String> tail) {
		return tail.size() == 3 && (tail.get(2).equals("status") || tail.get(2).equals("finalize"));
	}

	String groupVersion() {
		return this.group.isEmpty() ? this.version : this.group + "/" + this.version;
	}

	/** The path of the collection this path belongs to (no name, no subresource). */
	String collectionPath() {
		StringBuilder path = new StringBuilder(this.group.isEmpty() ? "/api/" : "/apis/" + this.group + "/");
		path.append(this.version);
		if (this.namespace != null) {
			path.append("/namespaces/").append(this.namespace);
		}
		return path.append('/').append(this.resource).toString();
	}

	/** The path of the object itself, without subresource. */
	String objectPath() {
		return collectionPath() + "/" + this.name;
	}

	boolean isCollection() {
		return this.name == null;
	}

}
