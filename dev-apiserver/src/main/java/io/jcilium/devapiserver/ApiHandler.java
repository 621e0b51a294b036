package io.jcilium.devapiserver;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.jcilium.devapiserver.table.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front every client talks to: answers what the CRUD store lacks (discovery,
 * {@code /version}, OpenAPI, patches, HTTP watches, tables) and forwards the rest to it.
 */
final class ApiHandler implements HttpHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiHandler.class);

	private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

	private final StoreClient store;

	private final Patcher patcher;

	private final WatchRelay watches;

	private final MetaEndpoints metaEndpoints;

	private final CertificateRequests certificateRequests;

	ApiHandler(StoreClient store, String serverAddress) {
		this.store = store;
		this.patcher = new Patcher(store);
		this.watches = new WatchRelay(store);
		this.metaEndpoints = new MetaEndpoints(store, serverAddress);
		this.certificateRequests = new CertificateRequests(store);
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try {
			route(exchange);
		}
		catch (IOException ex) {
			// The client went away (a watch ended by Ctrl-C, a closed connection):
			// nothing to answer.
			logger.debug("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), ex);
			Exchanges.status(exchange, 500, "InternalError", "dev-apiserver: " + ex.getMessage());
		}
		finally {
			exchange.close();
		}
	}

	private void route(HttpExchange exchange) throws IOException {
		String method = exchange.getRequestMethod();
		String path = stripTrailingSlash(exchange.getRequestURI().getRawPath());
		String rawQuery = exchange.getRequestURI().getRawQuery();
		if (method.equals("GET") && this.metaEndpoints.serve(exchange, path)) {
			return;
		}
		ResourcePath resource = ResourcePath.parse(path);
		if (resource == null) {
			Exchanges.status(exchange, 404, "NotFound", "the server could not find the requested resource");
			return;
		}
		String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
		if (contentType != null && contentType.startsWith(PROTOBUF)) {
			Exchanges.status(exchange, 415, "UnsupportedMediaType",
					"this dev API server reads JSON bodies only, and kubectl " + "sends protobuf for typed commands "
							+ "(create namespace, create deployment, ...); write the object to a file and use "
							+ "kubectl apply -f");
			return;
		}
		Map<String, String> query = Exchanges.query(rawQuery);
		VersionMapping versions = versionMapping(resource);
		if (method.equals("GET") && WatchRelay.isWatch(query.get("watch"))) {
			if ("websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Upgrade"))) {
				// fabric8 tries a WebSocket first and falls back to a plain HTTP watch
				// when the
				// handshake is answered 200 (or 503, which it first retries for ~20 s).
				Exchanges.status(exchange, 200, "WebSocketNotServed",
						"this dev API server serves watches as chunked JSON lines over plain HTTP, not WebSocket");
				return;
			}
			watch(exchange, versions, rawQuery, query);
			return;
		}
		byte[] body = readBody(exchange.getRequestBody());
		if (CertificateRequests.handles(method, resource)) {
			this.certificateRequests.serve(exchange, resource, rawQuery, body);
			return;
		}
		if (method.equals("PATCH") && Patcher.handles(contentType)) {
			this.patcher.patch(exchange, versions, contentType, body);
			return;
		}
		if (versions.converts() && body.length > 0) {
			body = Exchanges.JSON.writeValueAsBytes(versions.toStored(Exchanges.JSON.readTree(body)));
		}
		StoreClient.Reply reply = this.store.send(method, versions.storedPath(path, rawQuery), contentType, body);
		if (method.equals("GET") && wantsTable(exchange) && reply.status() == 200) {
			Exchanges.json(exchange, 200, table(resource, versions.toRequested(reply.json())));
			return;
		}
		if (versions.converts() && reply.status() < 300) {
			Exchanges.json(exchange, reply.status(), versions.toRequested(reply.json()));
			return;
		}
		Exchanges.bytes(exchange, reply.status(), reply.contentType(), reply.body());
	}

	private VersionMapping versionMapping(ResourcePath resource) {
		if (resource.group().isEmpty() || resource.group().endsWith("k8s.io") || !resource.group().contains(".")) {
			return new VersionMapping(resource, resource);
		}
		return VersionMapping.resolve(resource, this.store.customResourceDefinitions());
	}

	private void watch(HttpExchange exchange, VersionMapping versions, String rawQuery, Map<String, String> query)
			throws IOException {
		ResourcePath resource = versions.requested();
		long since = parseLong(query.get("resourceVersion"));
		long timeoutSeconds = parseLong(query.get("timeoutSeconds"));
		Duration timeout = (timeoutSeconds > 0) ? Duration.ofSeconds(timeoutSeconds) : Duration.ofDays(1);
		UnaryOperator<JsonNode> eventObject = versions::toRequested;
		if (wantsTable(exchange)) {
			JsonNode columns = printerColumns(resource);
			eventObject = (object) -> Tables.table(resource.group(), resource.resource(), columns,
					List.of(versions.toRequested(object)), null);
		}
		String path = exchange.getRequestURI().getRawPath();
		this.watches.relay(exchange, versions.storedPath(path, rawQuery), since, timeout, eventObject);
	}

	private ObjectNode table(ResourcePath resource, JsonNode reply) {
		List<JsonNode> objects = new ArrayList<>();
		String resourceVersion = null;
		if (reply.has("items")) {
			reply.path("items").forEach(objects::add);
			resourceVersion = reply.path("metadata").path("resourceVersion").asText(null);
		}
		else {
			objects.add(reply);
		}
		return Tables.table(resource.group(), resource.resource(), printerColumns(resource), objects, resourceVersion);
	}

	/** A custom resource version's {@code additionalPrinterColumns}, or null. */
	private JsonNode printerColumns(ResourcePath resource) {
		if (resource.group().isEmpty() || resource.group().endsWith(".k8s.io")) {
			return null;
		}
		for (JsonNode crd : this.store.customResourceDefinitions()) {
			JsonNode spec = crd.path("spec");
			if (spec.path("group").asText().equals(resource.group())
					&& spec.path("names").path("plural").asText().equals(resource.resource())) {
				for (JsonNode version : spec.path("versions")) {
					if (version.path("name").asText().equals(resource.version())) {
						return version.get("additionalPrinterColumns");
					}
				}
			}
		}
		return null;
	}

	private static boolean wantsTable(HttpExchange exchange) {
		String accept = exchange.getRequestHeaders().getFirst("Accept");
		return accept != null && accept.contains("as=Table");
	}

	private static byte[] readBody(InputStream in) throws IOException {
		try (in) {
			return in.readAllBytes();
		}
	}

	private static String stripTrailingSlash(String path) {
		return (path.length() > 1 && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
	}

	private static long parseLong(String value) {
		try {
			return (value == null || value.isEmpty()) ? 0 : Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
