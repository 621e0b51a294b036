package io.jcilium.cli.node;

import java.io.PrintWriter;

import io.jcilium.cli.endpoint.AgentHttp;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code node list}: the nodes the agent knows from their CiliumNodes, in upstream's
 * {@code cilium-dbg node list} columns.
 */
@Component
public class NodeCommands {

	private final ServiceAddresses addresses;

	public NodeCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "node list", group = "Node", description = "The cluster's nodes as the agent knows them", help = """
			node list [-o json|yaml]
			  Each node the agent (jcilium.services.agent.url) has a CiliumNode for, named
			  cluster/node: its InternalIP and pod CIDR per family. -o json adds every address
			  and pod CIDR and which node is the agent's own.""")
	void list(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		JsonNode nodes = AgentHttp.of(this.addresses).get("actuator/nodes");
		PrintWriter out = context.outputWriter();
		if (format.table()) {
			out.print(table(nodes));
			out.flush();
		}
		else {
			format.print(out, nodes);
		}
	}

	static String table(JsonNode nodes) {
		TextTable table = new TextTable("Name", "IPv4 Address", "Endpoint CIDR", "IPv6 Address", "Endpoint CIDR");
		nodes.forEach((node) -> table.row(text(node, "name"), text(node, "ipv4Address"), text(node, "ipv4AllocCidr"),
				text(node, "ipv6Address"), text(node, "ipv6AllocCidr")));
		return table.render();
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return (value.isNull() || value.isMissingNode()) ? "" : value.asString();
	}

}
