package io.jcilium.cli.endpoint;

import java.io.PrintWriter;

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
 * entry by entry, with the rules each entry is derived from (as upstream's
 * {@code cilium-dbg bpf policy get}, read from the agent's endpoint policy view rather
 * than from the kernel map, which holds no rules).
 */
@Component
public class EndpointPolicyCommands {

	private final ServiceAddresses addresses;

	public EndpointPolicyCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "bpf policy get", group = "Endpoint", completionProvider = EndpointCompletions.ENDPOINT_IDS,
			description = "Policy map entries of one endpoint of the agent, with the rules each is derived from",
			help = """
					bpf policy get ENDPOINT_ID [-o json|yaml]
					  Asks the agent at jcilium.services.agent.url for the endpoint's policy: one row per
					  entry (verdict, direction, peer identity, ports) and rule, the rule given by its labels
					  (k8s:io.cilium.k8s.policy.derived-from, .name, .namespace, .uid).
					  -o json|yaml prints the agent's view as it answers it.""")
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
		out.print(EndpointPolicyTable.render(body));
		out.flush();
	}

}
