package io.jcilium.devapiserver.discovery;

import java.util.List;

/**
 * One resource as discovery describes it (an entry of an {@code APIResourceList}).
 *
 * @param group the API group, empty for core
 * @param version the version
 * @param name the plural name
 * @param singular the singular name
 * @param kind the kind
 * @param namespaced whether objects live in a namespace
 * @param shortNames kubectl's short names
 * @param hasStatus whether a {@code status} subresource exists
 */
public record ApiResource(String group, String version, String name, String singular, String kind, boolean namespaced,
		List<String> shortNames, boolean hasStatus) {

	/**
	 * What kubectl may do with a resource (all of it: the store is a plain CRUD store).
	 */
	static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update",
			"watch");

	/** What a status subresource supports. */
	static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

	/** The group/version string, {@code v1} for the core group. */
	public String groupVersion() {
		return this.group.isEmpty() ? this.version : this.group + "/" + this.version;
	}

}
