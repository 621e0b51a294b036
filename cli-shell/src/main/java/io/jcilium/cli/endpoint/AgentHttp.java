package io.jcilium.cli.endpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.jcilium.cli.CommandFailedException;
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

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private AgentHttp(String service, String base) {
		this.service = service;
		this.base = base.endsWith("/") ? base : base + "/";
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
		return new AgentHttp(service, address.url().toString());
	}

	/**
	 * The JSON the agent answers at a path below its base URL.
	 * @param path e.g. {@code actuator/endpointpolicy}
	 */
	public JsonNode get(String path) {
		URI uri = URI.create(this.base + path);
		HttpResponse<String> response = fetch(uri);
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

	private HttpResponse<String> fetch(URI uri) {
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").build();
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
