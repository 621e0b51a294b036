package io.jcilium.cli.hubble;

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
 * {@code hubble policy hits}: per policy, the new connections it allowed and denied on
 * the agent's node and the bytes its entries carried or dropped (issue 14 point 6, beyond
 * upstream), so dead policies and the ones doing the work stand out. Read from the
 * agent's {@code /actuator/policyhits}.
 */
@Component
public class PolicyHitsCommands {

	private final ServiceAddresses addresses;

	public PolicyHitsCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "hubble policy hits", group = "Hubble",
			description = "Connections each policy allowed and denied on the agent's node", help = """
					hubble policy hits [-o json|yaml]
					  Asks the agent at jcilium.services.agent.url. One row per policy in force (and per
					  policy removed since the agent started, marked removed): the new connections its rules
					  allowed (FORWARDED) and its deny rules dropped, per direction, counted from policy
					  verdicts since the agent started, and BYTES: every byte of the connections its entries
					  admitted (both ways, established packets included) and of the packets its deny entries
					  dropped, as the datapath counts them per policy map entry (the BYTES of upstream's
					  cilium-dbg bpf policy get). A policy in force with neither is marked unused.
					  -o json|yaml prints the agent's rows as it answers them, each counter apart.""")
	void hits(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		JsonNode rows = AgentHttp.of(this.addresses).get("actuator/policyhits");
		PrintWriter out = context.outputWriter();
		if (!format.table()) {
			format.print(out, rows);
			return;
		}
		out.print(render(rows));
		out.flush();
	}

	static String render(JsonNode rows) {
		TextTable table = new TextTable("KIND", "NAMESPACE", "NAME", "INGRESS FORWARDED", "INGRESS DROPPED",
				"EGRESS FORWARDED", "EGRESS DROPPED", "BYTES", "STATE");
		for (JsonNode row : rows) {
			long[] hits = { row.path("ingressForwarded").asLong(), row.path("ingressDropped").asLong(),
					row.path("egressForwarded").asLong(), row.path("egressDropped").asLong() };
			long bytes = row.path("ingressForwardedBytes").asLong() + row.path("ingressDroppedBytes").asLong()
					+ row.path("egressForwardedBytes").asLong() + row.path("egressDroppedBytes").asLong();
			boolean used = hits[0] + hits[1] + hits[2] + hits[3] + bytes > 0;
			String state = !row.path("inForce").asBoolean() ? "removed" : (used ? "used" : "unused");
			String namespace = row.path("namespace").asString();
			table.row(row.path("kind").asString(), namespace.isEmpty() ? "-" : namespace, row.path("name").asString(),
					Long.toString(hits[0]), Long.toString(hits[1]), Long.toString(hits[2]), Long.toString(hits[3]),
					Long.toString(bytes), state);
		}
		return table.render();
	}

}
