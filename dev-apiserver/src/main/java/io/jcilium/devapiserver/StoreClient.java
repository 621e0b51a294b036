package io.jcilium.devapiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Talks plain HTTP to the CRUD store (fabric8's mock server on a loopback port). The
 * front forwards whatever the store already does right, and reads objects from it to
 * build discovery, OpenAPI documents and tables.
 */
final class StoreClient {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http;

	private final URI base;

	StoreClient(URI base) {
		this.base = base;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	HttpClient http() {
		return this.http;
	}

	URI base() {
		return this.base;
	}

	/**
	 * Send a request to the store.
	 * @param method the HTTP method
	 * @param pathAndQuery the raw path and query, as the client sent them
	 * @param contentType the body's type, or null
	 * @param body the body, possibly empty
	 * @return the store's answer
	 */
	Reply send(String method, String pathAndQuery, String contentType, byte[] body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve(pathAndQuery))
			.timeout(Duration.ofSeconds(30))
			.method(method, (body.length == 0) ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		try {
			HttpResponse<byte[]> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			String type = response.headers().firstValue("Content-Type").orElse("application/json");
			return new Reply(response.statusCode(), type, response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("the CRUD store did not answer " + method + " " + pathAndQuery, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while calling the CRUD store", ex);
		}
	}

	/**
	 * Read one object or list.
	 * @param path the path
	 * @return the JSON, or null when the store has nothing there
	 */
	JsonNode get(String path) {
		Reply reply = send("GET", path, null, new byte[0]);
		if (reply.status() == 404) {
			return null;
		}
		if (reply.status() >= 300) {
			throw new IllegalStateException("GET " + path + " answered " + reply.status());
		}
		return reply.json();
	}

	/** The CRDs the store holds. */
	List<JsonNode> customResourceDefinitions() {
		JsonNode list = get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
		List<JsonNode> crds = new ArrayList<>();
		if (list != null && list.path("items").isArray()) {
			list.path("items").forEach(crds::add);
		}
		return crds;
	}

	/**
	 * An answer from the store.
	 *
	 * @param status the HTTP status
	 * @param contentType the body's type
	 * @param body the body
	 */
	record Reply(int status, String contentType, byte[] body) {

		JsonNode json() {
			try {
				return JSON.readTree(this.body);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("the CRUD store answered something that is not JSON", ex);
			}
		}

	}

}
