package io.jcilium.cli.endpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.jcilium.cli.CommandFailedException;
import io.jcilium.cli.services.PlainHttp;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.services.ServiceAddresses.ServiceAddress;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's HTTP API at {@code jcilium.services.agent.url} as the console's commands
 * read it (endpoint, service, bpf, Hubble's policy hits): a GET of JSON, bounded by a
 * timeout; anything but 200 becomes one line with the agent's reason.
 */
public final class AgentHttp {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final String service;

	private final String base;

	private final Duration timeout;

	private final HttpClient client;

	private AgentHttp(String service, String base, Duration timeout) {
		this.service = service;
		this.base = base.endsWith("/") ? base : base + "/";
		this.timeout = timeout;
		this.client = PlainHttp.builderFor(URI.create(this.base)).connectTimeout(timeout).build();
	}

	/**
	 * The same API with another bound on each call (tab completion must not keep the
	 * prompt waiting).
	 * @param timeout the bound
	 * @return the client
	 */
	public AgentHttp withTimeout(Duration timeout) {
		return new AgentHttp(this.service, this.base, timeout);
	}

	public static AgentHttp of(ServiceAddresses addresses) {
		return of(addresses, "agent");
	}

	/**
	 * Another service's HTTP API the same way (bgp-service's {@code /actuator/bgp}).
	 * @param service its name under {@code jcilium.services}
	 */
	public static AgentHttp of(ServiceAddresses addresses, String service) {
		ServiceAddress address = addresses.services().get(service);
		if (address == null) {
			throw new IllegalArgumentException(
					"no " + service + " address configured: set jcilium.services." + service + ".url");
		}
		return new AgentHttp(service, address.url().toString(), TIMEOUT);
	}

	/**
	 * The JSON the agent answers at a path below its base URL.
	 * @param path e.g. {@code actuator/endpointpolicy}
	 */
	public JsonNode get(String path) {
		URI uri = URI.create(this.base + path);
		return answer(uri, fetch(HttpRequest.newBuilder(uri).GET()));
	}

	/**
	 * Sends JSON to a path below the base URL (an actuator write operation) and returns
	 * the JSON answered.
	 * @param path e.g. {@code actuator/config}
	 * @param body the request body
	 */
	public JsonNode post(String path, Object body) {
		URI uri = URI.create(this.base + path);
		return answer(uri,
				fetch(HttpRequest.newBuilder(uri)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(JsonMapper.shared().writeValueAsString(body)))));
	}

	private JsonNode answer(URI uri, HttpResponse<String> response) {
		JsonNode body = json(this.service, uri, response);
		if (response.statusCode() != 200) {
			throw new CommandFailedException(this.service + " at " + base() + ": "
					+ body.path("message").asString("HTTP " + response.statusCode() + " from " + uri));
		}
		return body;
	}

	public String base() {
		return this.base.substring(0, this.base.length() - 1);
	}

	private HttpResponse<String> fetch(HttpRequest.Builder builder) {
		HttpRequest request = builder.timeout(this.timeout).header("Accept", "application/json").build();
		URI uri = request.uri();
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new CommandFailedException(this.service + " unreachable at " + uri + ": " + ex
					+ "; is it running? 'status " + this.service + "' checks");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CommandFailedException("interrupted while asking " + uri);
		}
	}

	private static JsonNode json(String service, URI uri, HttpResponse<String> response) {
		try {
			return JsonMapper.shared().readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new CommandFailedException(
					"HTTP " + response.statusCode() + " from " + uri + " is not JSON of the " + service + "'s API");
		}
	}

}
