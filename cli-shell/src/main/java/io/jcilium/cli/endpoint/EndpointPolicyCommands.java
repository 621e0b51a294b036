package io.jcilium.cli.endpoint;

import java.io.IOException;
import java.io.PrintWriter;
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

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

/**
 * {@code bpf policy get ENDPOINT}: the policy an agent enforces for one of its endpoints,
 * entry by entry, with the rules each entry is derived from (as upstream's
 * {@code cilium-dbg bpf policy get}, read from the agent's endpoint policy view rather
 * than from the kernel map, which holds no rules).
 */
@Component
class EndpointPolicyCommands {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ServiceAddresses addresses;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	EndpointPolicyCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "bpf policy get", group = "Endpoint",
			description = "Policy map entries of one endpoint of the agent, with the rules each is derived from",
			help = """
					bpf policy get ENDPOINT_ID
					  Asks the agent at jcilium.services.agent.url for the endpoint's policy: one row per
					  entry (verdict, direction, peer identity, ports) and rule, the rule given by its labels
					  (k8s:io.cilium.k8s.policy.derived-from, .name, .namespace, .uid).""")
	void get(@Argument(index = 0, description = "the endpoint id (GET /v1/endpoint lists them)") String endpointId,
			CommandContext context) {
		int id = parseId(endpointId);
		ServiceAddress agent = this.addresses.services().get("agent");
		if (agent == null) {
			throw new IllegalArgumentException("no agent address configured: set jcilium.services.agent.url");
		}
		String base = agent.url().toString();
		URI uri = URI.create((base.endsWith("/") ? base : base + "/") + "actuator/endpointpolicy/" + id);
		HttpResponse<String> response = fetch(uri);
		JsonNode body = json(uri, response);
		if (response.statusCode() != 200) {
			throw new CommandFailedException(
					"agent at " + base + ": " + body.path("message").asString("HTTP " + response.statusCode()));
		}
		PrintWriter out = context.outputWriter();
		out.print(EndpointPolicyTable.render(body));
		out.flush();
	}

	private HttpResponse<String> fetch(URI uri) {
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").build();
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new CommandFailedException("agent unreachable at " + uri + ": " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CommandFailedException("interrupted while asking " + uri);
		}
	}

	private static JsonNode json(URI uri, HttpResponse<String> response) {
		try {
			return JsonMapper.shared().readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new CommandFailedException(
					"HTTP " + response.statusCode() + " from " + uri + " is not the agent's endpoint policy view");
		}
	}

	private static int parseId(String text) {
		try {
			int id = Integer.parseInt((text != null) ? text.strip() : "");
			if (id > 0) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("ENDPOINT_ID must be a positive endpoint number, not '" + text + "'");
	}

}
