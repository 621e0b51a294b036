package io.jcilium.devapiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The two things of the certificates API ({@code certificates.k8s.io/v1}) the CRUD store
 * lacks, done as a real API server does them, so that an agent asking for its node's
 * certificate and an operator approving it run here unchanged:
 * <ul>
 * <li>creating a CertificateSigningRequest records who asked in {@code spec.username},
 * {@code spec.uid}, {@code spec.groups} and {@code spec.extra}, from the caller's
 * authentication, overwriting whatever the client wrote there;</li>
 * <li>the {@code approval} subresource sets the request's conditions and keeps the rest
 * of its status (the store never answers it).</li>
 * </ul>
 * The caller is authenticated from a ServiceAccount token in the {@code Authorization}
 * header: its claims give the user as kube-apiserver derives it from a verified one, a
 * bound token's pod and node becoming the {@code authentication.kubernetes.io/*} extras.
 * The signature is not checked (a development server authenticates no one for real); a
 * request without such a token is {@code system:anonymous}.
 */
final class CertificateRequests {

	private static final String GROUP = "certificates.k8s.io";

	private static final String RESOURCE = "certificatesigningrequests";

	private static final String EXTRA_PREFIX = "authentication.kubernetes.io/";

	private final StoreClient store;

	CertificateRequests(StoreClient store) {
		this.store = store;
	}

	/**
	 * @return whether this request is one of the two handled here
	 */
	static boolean handles(String method, ResourcePath resource) {
		if (!GROUP.equals(resource.group()) || !RESOURCE.equals(resource.resource())) {
			return false;
		}
		return (method.equals("POST") && resource.isCollection())
				|| (method.equals("PUT") && "approval".equals(resource.subresource()));
	}

	void serve(HttpExchange exchange, ResourcePath resource, String rawQuery, byte[] body) throws IOException {
		JsonNode sent = Exchanges.JSON.readTree(body);
		if (!(sent instanceof ObjectNode request)) {
			Exchanges.status(exchange, 400, "BadRequest", "the body is not a CertificateSigningRequest object");
			return;
		}
		if (resource.isCollection()) {
			recordRequester(request, exchange.getRequestHeaders().getFirst("Authorization"));
			forward(exchange, "POST", resource.collectionPath(), rawQuery, request);
			return;
		}
		StoreClient.Reply current = this.store.send("GET", resource.objectPath(), null, new byte[0]);
		if (current.status() != 200) {
			Exchanges.bytes(exchange, current.status(), current.contentType(), current.body());
			return;
		}
		ObjectNode stored = (ObjectNode) current.json();
		ObjectNode status = Exchanges.objectField(stored, "status");
		JsonNode conditions = request.path("status").path("conditions");
		status.set("conditions", conditions.isArray() ? conditions : Exchanges.JSON.createArrayNode());
		forward(exchange, "PUT", resource.objectPath() + "/status", rawQuery, stored);
	}

	private void forward(HttpExchange exchange, String method, String path, String rawQuery, ObjectNode object)
			throws IOException {
		String pathAndQuery = (rawQuery == null || rawQuery.isEmpty()) ? path : path + "?" + rawQuery;
		StoreClient.Reply reply = this.store.send(method, pathAndQuery, "application/json",
				Exchanges.JSON.writeValueAsBytes(object));
		Exchanges.bytes(exchange, reply.status(), reply.contentType(), reply.body());
	}

	/**
	 * Writes the authenticated caller into the request's spec.
	 * @param request the CertificateSigningRequest as sent
	 * @param authorization the {@code Authorization} header, or null
	 */
	static void recordRequester(ObjectNode request, String authorization) {
		ObjectNode spec = Exchanges.objectField(request, "spec");
		spec.remove(List.of("username", "uid", "groups", "extra"));
		JsonNode claims = serviceAccountClaims(authorization);
		ArrayNode groups = spec.putArray("groups");
		if (claims == null) {
			spec.put("username", "system:anonymous");
			groups.add("system:unauthenticated");
			return;
		}
		JsonNode kubernetes = claims.path("kubernetes.io");
		String namespace = kubernetes.path("namespace").asText();
		JsonNode account = kubernetes.path("serviceaccount");
		spec.put("username", "system:serviceaccount:" + namespace + ":" + account.path("name").asText());
		if (account.hasNonNull("uid")) {
			spec.put("uid", account.path("uid").asText());
		}
		groups.add("system:serviceaccounts").add("system:serviceaccounts:" + namespace).add("system:authenticated");
		ObjectNode extra = spec.putObject("extra");
		addExtra(extra, "pod-name", kubernetes.path("pod").path("name"));
		addExtra(extra, "pod-uid", kubernetes.path("pod").path("uid"));
		addExtra(extra, "node-name", kubernetes.path("node").path("name"));
		addExtra(extra, "node-uid", kubernetes.path("node").path("uid"));
		if (claims.hasNonNull("jti")) {
			extra.putArray(EXTRA_PREFIX + "credential-id").add("JTI=" + claims.path("jti").asText());
		}
	}

	private static void addExtra(ObjectNode extra, String key, JsonNode value) {
		if (value.isTextual() && !value.asText().isEmpty()) {
			extra.putArray(EXTRA_PREFIX + key).add(value.asText());
		}
	}

	/**
	 * The claims of a ServiceAccount token ({@code Bearer <header>.<claims>.<signature>}
	 * whose claims carry {@code kubernetes.io.serviceaccount.name}), or null.
	 */
	private static JsonNode serviceAccountClaims(String authorization) {
		if (authorization == null || !authorization.startsWith("Bearer ")) {
			return null;
		}
		String[] parts = authorization.substring("Bearer ".length()).trim().split("\\.");
		if (parts.length != 3) {
			return null;
		}
		try {
			JsonNode claims = Exchanges.JSON
				.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
			JsonNode kubernetes = claims.path("kubernetes.io");
			boolean named = kubernetes.path("namespace").isTextual()
					&& kubernetes.path("serviceaccount").path("name").isTextual();
			return named ? claims : null;
		}
		catch (IOException | IllegalArgumentException ex) {
			return null;
		}
	}

}
