package io.jcilium.cli.endpoint;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.api.identity.v1.Identity;
import io.jcilium.cli.CommandFailedException;
import io.jcilium.cli.identity.IdentityClient;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;
import tools.jackson.databind.JsonNode;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code endpoint list} and {@code endpoint get ID}: the agent's endpoints, as upstream's
 * {@code cilium-dbg endpoint list|get}. The agent gives each endpoint's id, identity,
 * address, state and enforcement; identity-service the identity's labels. When
 * identity-service cannot answer, the endpoints still print, without labels, and the
 * command fails saying why.
 */
@Component
public class EndpointCommands {

	private static final String LIST_PATH = "actuator/endpointpolicy";

	private final ServiceAddresses addresses;

	public EndpointCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "endpoint list", group = "Endpoint",
			description = "Endpoints of the agent: id, enforcement, identity, labels, addresses, state", help = """
					endpoint list [-o json|yaml]
					  Reads the endpoints from the agent (jcilium.services.agent.url) and their identities'
					  labels from identity-service (jcilium.services.identity.grpc).""")
	void list(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		JsonNode endpoints = AgentHttp.of(this.addresses).get(LIST_PATH);
		print(context.outputWriter(), format, endpoints);
	}

	@Command(name = "endpoint get", group = "Endpoint", completionProvider = EndpointCompletions.ENDPOINT_IDS,
			description = "One endpoint of the agent, as JSON", help = """
					endpoint get ENDPOINT_ID [-o json|yaml]
					  The endpoint's fields and labels; JSON unless -o yaml (as upstream's endpoint get).""")
	void get(@Argument(index = 0, description = "the endpoint id ('endpoint list' shows them)") String endpointId,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		int id = parseId(endpointId);
		OutputFormat format = OutputFormat.parse(output);
		AgentHttp agent = AgentHttp.of(this.addresses);
		JsonNode endpoint = null;
		for (JsonNode candidate : agent.get(LIST_PATH)) {
			if (candidate.path("endpointId").asInt() == id) {
				endpoint = candidate;
			}
		}
		if (endpoint == null) {
			throw new CommandFailedException(
					"endpoint " + id + " not found on the agent at " + agent.base() + "; 'endpoint list' shows them");
		}
		Labels labels = labels(List.of(endpoint));
		(format.table() ? OutputFormat.JSON : format).print(context.outputWriter(),
				EndpointListTable.data(endpoint, labels.byIdentity()));
		labels.failIfMissing();
	}

	private void print(PrintWriter out, OutputFormat format, JsonNode endpoints) {
		Labels labels = labels(endpoints);
		if (format.table()) {
			out.print(EndpointListTable.render(endpoints, labels.byIdentity()));
			out.flush();
		}
		else {
			format.print(out, EndpointListTable.dataOfAll(endpoints, labels.byIdentity()));
		}
		labels.failIfMissing();
	}

	/**
	 * The labels of the endpoints' identities: one {@code List} call, or one
	 * {@code Lookup} for a single endpoint.
	 */
	private Labels labels(Iterable<JsonNode> endpoints) {
		Map<Long, List<String>> byIdentity = new HashMap<>();
		try (IdentityClient identities = IdentityClient.open(this.addresses)) {
			List<Long> wanted = new ArrayList<>();
			endpoints.forEach((endpoint) -> {
				long identity = endpoint.path("identity").asLong();
				if (identity > 0) {
					wanted.add(identity);
				}
			});
			if (wanted.size() == 1) {
				Identity identity = identities.get(wanted.get(0));
				byIdentity.put(Integer.toUnsignedLong(identity.getId()), identity.getLabelsList());
			}
			else if (!wanted.isEmpty()) {
				for (Identity identity : identities.list()) {
					byIdentity.put(Integer.toUnsignedLong(identity.getId()), identity.getLabelsList());
				}
			}
			return new Labels(byIdentity, null);
		}
		catch (CommandFailedException ex) {
			return new Labels(byIdentity, ex);
		}
	}

	/** An endpoint id as the user typed it, or a usage error saying what is wrong. */
	static int parseId(String text) {
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

	/**
	 * Labels by identity, and why they are missing if identity-service failed.
	 */
	private record Labels(Map<Long, List<String>> byIdentity, CommandFailedException failure) {

		void failIfMissing() {
			if (this.failure != null) {
				throw new CommandFailedException("labels not shown: " + this.failure.getMessage());
			}
		}

	}

}
