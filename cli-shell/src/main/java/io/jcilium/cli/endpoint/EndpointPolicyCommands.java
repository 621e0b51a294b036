package io.jcilium.cli.endpoint;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

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
 * {@code bpf policy get ENDPOINT}: the policy an agent enforces for one of its endpoints,
 * entry by entry as the agent reads them from the endpoint's pinned policy map, in
 * upstream's {@code cilium-dbg bpf policy get} columns, each peer identity shown by its
 * labels from identity-service.
 */
@Component
public class EndpointPolicyCommands {

	private final ServiceAddresses addresses;

	public EndpointPolicyCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "bpf policy get", group = "Endpoint", completionProvider = EndpointCompletions.ENDPOINT_IDS,
			description = "Policy map entries of one endpoint of the agent, with counters and peer labels", help = """
					bpf policy get ENDPOINT_ID [-o json|yaml]
					  Asks the agent at jcilium.services.agent.url for the endpoint's policy map: one row
					  per entry (POLICY, DIRECTION, LABELS of the peer identity from identity-service at
					  jcilium.services.identity.grpc, PORT/PROTO, PROXY PORT, BYTES, PACKETS, PREFIX).
					  -o json|yaml prints the agent's view as it answers it, with the rules deriving each
					  entry (k8s:io.cilium.k8s.policy.derived-from, .name, .namespace, .uid).""")
	void get(@Argument(index = 0, description = "the endpoint id (GET /v1/endpoint lists them)") String endpointId,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		int id = EndpointCommands.parseId(endpointId);
		OutputFormat format = OutputFormat.parse(output);
		JsonNode body = AgentHttp.of(this.addresses).get("actuator/endpointpolicy/" + id);
		PrintWriter out = context.outputWriter();
		if (!format.table()) {
			format.print(out, body);
			return;
		}
		out.print(EndpointPolicyTable.render(body, peerLabels(body)));
		out.flush();
	}

	/**
	 * The labels of the entries' peer identities from identity-service, looked up once
	 * each; an identity it does not know, or a service that does not answer, leaves the
	 * number in the table (as upstream does when its lookup fails).
	 */
	private LongFunction<List<String>> peerLabels(JsonNode body) {
		Map<Long, List<String>> labels = new HashMap<>();
		boolean anyPeer = false;
		for (JsonNode entry : body.path("entries")) {
			anyPeer |= entry.path("peer").asLong() != 0;
		}
		if (!anyPeer) {
			return (peer) -> List.of();
		}
		try (IdentityClient client = IdentityClient.open(this.addresses)) {
			boolean answering = true;
			for (JsonNode entry : body.path("entries")) {
				long peer = entry.path("peer").asLong();
				if (peer == 0 || labels.containsKey(peer)) {
					continue;
				}
				List<String> found = List.of();
				if (answering) {
					try {
						found = client.get(peer).getLabelsList();
					}
					catch (CommandFailedException ex) {
						// not found: this one stays a number; anything else: all do
						answering = ex.getMessage().contains("not found");
					}
				}
				labels.put(peer, found);
			}
		}
		catch (CommandFailedException ex) {
			// no identity-service to ask: the numbers stay
		}
		return (peer) -> labels.getOrDefault(peer, List.of());
	}

}
