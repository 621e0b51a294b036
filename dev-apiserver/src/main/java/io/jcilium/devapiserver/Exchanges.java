package io.jcilium.devapiserver;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/** Writing answers, Kubernetes style: JSON bodies, errors as {@code Status} objects. */
final class Exchanges {

	static final ObjectMapper JSON = new ObjectMapper();

	private Exchanges() {
	}

	static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
		bytes(exchange, status, "application/json", JSON.writeValueAsBytes(body));
	}

	static void bytes(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		if (body.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	/**
	 * Answer with a {@code Status} failure, as the API server does.
	 * @param exchange the exchange
	 * @param code the HTTP status
	 * @param reason the machine-readable reason, e.g. {@code NotFound}
	 * @param message what went wrong, for the user
	 * @throws IOException when the client is gone
	 */
	static void status(HttpExchange exchange, int code, String reason, String message) throws IOException {
		ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
		status.putObject("metadata");
		status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
		json(exchange, code, status);
	}

	/** The query parameters, decoded; the last value wins. */
	static Map<String, String> query(String rawQuery) {
		Map<String, String> params = new LinkedHashMap<>();
		if (rawQuery == null || rawQuery.isEmpty()) {
			return params;
		}
		for (String pair : rawQuery.split("&")) {
			int eq = pair.indexOf('=');
			String key = (eq < 0) ? pair : pair.substring(0, eq);
			String value = (eq < 0) ? "" : pair.substring(eq + 1);
			params.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
					URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return params;
	}

	/** The object under {@code name}, created when missing or not an object. */
	static ObjectNode objectField(ObjectNode parent, String name) {
		if (parent.get(name) instanceof ObjectNode existing) {
			return existing;
		}
		return parent.putObject(name);
	}

}
