package io.jcilium.cli.service;

import java.io.PrintWriter;
import java.util.function.Function;

import io.jcilium.cli.endpoint.AgentHttp;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;
import tools.jackson.databind.JsonNode;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code service list}, {@code service get ID} and {@code bpf lb list}: the services an
 * agent load-balances, as upstream's {@code cilium-dbg service list|get} and
 * {@code bpf lb list}, read from the agent's {@code GET /actuator/service} (what it wrote
 * into the LB maps, with the ids the maps hold).
 */
@Component
public class ServiceCommands {

	private static final String PATH = "actuator/service";

	private final ServiceAddresses addresses;

	public ServiceCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "service list", group = "Service",
			description = "Services of the agent: ID, frontend, service type, backends", help = """
					service list [-o json|yaml]
					  Reads the frontends the agent (jcilium.services.agent.url) programmed into the LB maps:
					  one row per frontend, its backends one per line.""")
	void list(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		print(context.outputWriter(), format, AgentHttp.of(this.addresses).get(PATH), ServiceTables::serviceList);
	}

	@Command(name = "service get", group = "Service", description = "One service ID of the agent", help = """
			service get ID [-o json|yaml]
			  The frontends with this service ID ('service list' shows the IDs) and their backends.""")
	void get(@Argument(index = 0, description = "the service ID ('service list' shows them)") String id,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		int serviceId = parseId(id);
		OutputFormat format = OutputFormat.parse(output);
		print(context.outputWriter(), format, AgentHttp.of(this.addresses).get(PATH + "/" + serviceId),
				ServiceTables::serviceList);
	}

	@Command(name = "bpf lb list", group = "Service",
			description = "The agent's LB map entries: each frontend's master and backend slots", help = """
					bpf lb list [-o json|yaml]
					  One row per service map entry the agent wrote: slot 0 (the master) with the rev NAT id
					  and the flags, then each slot with its backend.""")
	void bpfLbList(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		print(context.outputWriter(), format, AgentHttp.of(this.addresses).get(PATH), ServiceTables::bpfLbList);
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

	/** A service ID as the user typed it, or a usage error saying what is wrong. */
	static int parseId(String text) {
		try {
			int id = Integer.parseInt((text != null) ? text.strip() : "");
			if (id > 0 && id <= 0xffff) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException(
				"ID must be a service ID 1..65535 ('service list' shows them), not '" + text + "'");
	}

}
