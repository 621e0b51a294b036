package io.jcilium.cli.bpf;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.function.Function;

import io.jcilium.cli.CommandFailedException;
import io.jcilium.cli.endpoint.AgentHttp;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code bpf ipcache list|get}, {@code bpf endpoint list}, {@code bpf ct list} and
 * {@code bpf metrics list}: the agent's datapath maps, entry by entry.
 */
@Component
public class BpfCommands {

	private static final String PATH = "actuator/bpf/";

	private final ServiceAddresses addresses;

	public BpfCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "bpf ipcache list", group = "BPF", description = "The ipcache map: prefix to identity and node",
			help = """
					bpf ipcache list [-o json|yaml]
					  Every address and prefix the datapath knows, with its identity and tunnel endpoint.""")
	void ipcacheList(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		print(context.outputWriter(), output, "ipcache", BpfTables::ipcache);
	}

	@Command(name = "bpf ipcache get", group = "BPF", description = "The ipcache entry an address maps to", help = """
			bpf ipcache get IP [-o json|yaml]
			  The longest prefix holding IP, as the datapath's lookup finds it.""")
	void ipcacheGet(@Argument(index = 0, description = "an IPv4 or IPv6 address") String ip,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		InetAddress address = BpfTables.parseAddress(ip);
		OutputFormat format = OutputFormat.parse(output);
		JsonNode match = BpfTables.longestPrefix(AgentHttp.of(this.addresses).get(PATH + "ipcache"), address);
		if (match == null) {
			throw new CommandFailedException(ip.strip() + " does not map to any identity");
		}
		PrintWriter out = context.outputWriter();
		if (format.table()) {
			out.println(ip.strip() + " maps to identity " + BpfTables.ipcacheInfo(match));
			out.flush();
		}
		else {
			format.print(out, match);
		}
	}

	@Command(name = "bpf endpoint list", group = "BPF", description = "The local endpoints map", help = """
			bpf endpoint list [-o json|yaml]
			  Each local endpoint's address with its id, identity, interface and MACs.""")
	void endpointList(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		print(context.outputWriter(), output, "endpoint", BpfTables::endpoints);
	}

	@Command(name = "bpf ct list", group = "BPF", description = "The connection tracking table", help = """
			bpf ct list [global | endpoint ENDPOINT_ID] [-o json|yaml]
			  Every tracked connection (global, the default), or one endpoint's.""")
	void ctList(@Argument(index = 0, description = "global or endpoint", defaultValue = "global") String scope,
			@Argument(index = 1, description = "the endpoint id, after 'endpoint'", defaultValue = "") String endpoint,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		int endpointId = BpfTables.ctScope(scope, endpoint);
		OutputFormat format = OutputFormat.parse(output);
		JsonNode entries = AgentHttp.of(this.addresses).get(PATH + "ct");
		if (endpointId > 0) {
			var kept = JsonNodeFactory.instance.arrayNode();
			entries.forEach((entry) -> {
				if (entry.path("endpointId").asInt() == endpointId) {
					kept.add(entry);
				}
			});
			entries = kept;
		}
		print(context.outputWriter(), format, entries, BpfTables::conntrack);
	}

	@Command(name = "bpf metrics list", group = "BPF", description = "The datapath's forward and drop counters",
			help = """
					bpf metrics list [-o json|yaml]
					  Packets and bytes per reason (forwarded or a drop reason) and direction.""")
	void metricsList(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		print(context.outputWriter(), output, "metrics", BpfTables::metrics);
	}

	private void print(PrintWriter out, String output, String map, Function<JsonNode, String> table) {
		OutputFormat format = OutputFormat.parse(output);
		print(out, format, AgentHttp.of(this.addresses).get(PATH + map), table);
	}

	private static void print(PrintWriter out, OutputFormat format, JsonNode entries,
			Function<JsonNode, String> table) {
		if (format.table()) {
			out.print(table.apply(entries));
			out.flush();
		}
		else {
			format.print(out, entries);
		}
	}

}
