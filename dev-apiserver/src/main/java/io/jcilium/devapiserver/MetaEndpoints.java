package io.jcilium.devapiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.jcilium.devapiserver.discovery.Discovery;
import io.jcilium.devapiserver.openapi.OpenApiDocuments;

/**
 * The paths that describe the server rather than name a resource: {@code /version},
 * health, discovery and OpenAPI. Discovery and OpenAPI are computed from the CRDs in the
 * store on every request, so a CRD is usable the moment it is applied.
 */
final class MetaEndpoints {

	private static final String OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

	private final StoreClient store;

	private final String serverAddress;

	MetaEndpoints(StoreClient store, String serverAddress) {
		this.store = store;
		this.serverAddress = serverAddress;
	}

	/**
	 * Answer a path that names no resource.
	 * @param exchange the GET request
	 * @param path its path, without trailing slash
	 * @return whether the path was one of these
	 * @throws IOException when the client is gone
	 */
	boolean serve(HttpExchange exchange, String path) throws IOException {
		switch (path) {
			case "/version" -> Exchanges.json(exchange, 200, Version.document());
			case "/healthz", "/readyz", "/livez" ->
				Exchanges.bytes(exchange, 200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8));
			case "/api" -> Exchanges.json(exchange, 200, discovery().apiVersions(this.serverAddress));
			case "/apis" -> Exchanges.json(exchange, 200, discovery().groupList());
			case "/openapi/v2" -> Exchanges.bytes(exchange, 200, OPENAPI_V2_PROTOBUF, openApi().v2Protobuf());
			case "/openapi/v3" -> Exchanges.json(exchange, 200, openApi().v3Root());
			default -> {
				return serveDiscoveryPath(exchange, path);
			}
		}
		return true;
	}

	private boolean serveDiscoveryPath(HttpExchange exchange, String path) throws IOException {
		String[] parts = path.substring(1).split("/");
		ObjectNode doc;
		if (path.startsWith("/openapi/v3/")) {
			doc = openApi().v3GroupVersion(path.substring("/openapi/v3/".length()));
		}
		else if (parts.length == 2 && parts[0].equals("api")) {
			doc = discovery().resourceList("", parts[1]);
		}
		else if (parts.length == 2 && parts[0].equals("apis")) {
			doc = discovery().group(parts[1]);
		}
		else if (parts.length == 3 && parts[0].equals("apis")) {
			doc = discovery().resourceList(parts[1], parts[2]);
		}
		else {
			return false;
		}
		if (doc == null) {
			Exchanges.status(exchange, 404, "NotFound", "the server could not find the requested resource");
		}
		else {
			Exchanges.json(exchange, 200, doc);
		}
		return true;
	}

	private Discovery discovery() {
		return Discovery.of(this.store.customResourceDefinitions());
	}

	private OpenApiDocuments openApi() {
		return OpenApiDocuments.of(this.store.customResourceDefinitions());
	}

}
