package io.jcilium.testsupport;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One Kubernetes API request as the RBAC authorizer names it: verb, resource (with its
 * subresource, as {@code pods/status}) and API group ({@code ""} for the core group). The
 * verbs follow the authorizer's request attributes: {@code GET} is {@code get} on a named
 * object, {@code list} on a collection and {@code watch} with {@code ?watch=true};
 * {@code POST} is {@code create}, {@code PUT} {@code update}, {@code PATCH}
 * {@code patch}, {@code DELETE} {@code delete} (or {@code deletecollection}).
 *
 * @param verb the RBAC verb
 * @param resource the resource, with {@code /subresource} if any
 * @param group the API group, empty for the core group
 */
public record ApiCall(String verb, String resource, String group) {

	/**
	 * How the core group is written in a recorded line, so every line has three words.
	 */
	static final String CORE_GROUP = "\"\"";

	/** A namespace's own subresources, not resources inside it. */
	private static final List<String> NAMESPACE_SUBRESOURCES = List.of("status", "finalize");

	/**
	 * The call a request makes, or empty for a non-resource request (discovery,
	 * {@code /version}).
	 */
	public static Optional<ApiCall> of(String method, URI uri) {
		List<String> path = Arrays.stream(uri.getRawPath().split("/")).filter((s) -> !s.isEmpty()).toList();
		String group;
		List<String> rest;
		if (path.size() >= 2 && path.get(0).equals("api")) {
			group = "";
			rest = path.subList(2, path.size());
		}
		else if (path.size() >= 3 && path.get(0).equals("apis")) {
			group = path.get(1);
			rest = path.subList(3, path.size());
		}
		else {
			return Optional.empty();
		}
		if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
			rest = rest.subList(2, rest.size());
		}
		if (rest.isEmpty()) {
			return Optional.empty();
		}
		String resource = (rest.size() >= 3) ? rest.get(0) + "/" + rest.get(2) : rest.get(0);
		boolean named = rest.size() >= 2;
		return verb(method, named, uri.getRawQuery()).map((verb) -> new ApiCall(verb, resource, group));
	}

	private static Optional<String> verb(String method, boolean named, String query) {
		boolean watch = query != null && Arrays.asList(query.split("&")).contains("watch=true");
		return Optional.ofNullable(switch (method.toUpperCase()) {
			case "GET" -> watch ? "watch" : (named ? "get" : "list");
			case "POST" -> "create";
			case "PUT" -> "update";
			case "PATCH" -> "patch";
			case "DELETE" -> named ? "delete" : "deletecollection";
			default -> null;
		});
	}

	/** Reads a recorded line back. */
	public static ApiCall parse(String line) {
		String[] words = line.trim().split(" ");
		if (words.length != 3) {
			throw new IllegalArgumentException("not 'verb resource group': " + line);
		}
		return new ApiCall(words[0], words[1], words[2].equals(CORE_GROUP) ? "" : words[2]);
	}

	/** The line recorded for this call. */
	public String line() {
		return this.verb + " " + this.resource + " " + (this.group.isEmpty() ? CORE_GROUP : this.group);
	}

}
