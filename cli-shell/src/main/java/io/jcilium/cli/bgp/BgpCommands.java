package io.jcilium.cli.bgp;

import java.io.PrintWriter;

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
 * {@code bgp peers} and {@code bgp routes advertised AFI SAFI}, as upstream's
 * {@code cilium bgp peers|routes}, read from bgp-service's {@code GET /actuator/bgp}
 * ({@code jcilium.services.bgp.url}).
 */
@Component
public class BgpCommands {

	private static final String PATH = "actuator/bgp";

	private final ServiceAddresses addresses;

	public BgpCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "bgp peers", group = "BGP", description = "bgp-service's neighbours: state, uptime, prefix counts",
			help = """
					bgp peers [-o json|yaml]
					  One row per neighbour and address family, upstream's columns: Node, Local AS, Peer AS,
					  Peer Address, Session State, Uptime, Family, Received, Advertised.""")
	void peers(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		JsonNode view = AgentHttp.of(this.addresses, "bgp").get(PATH);
		print(context.outputWriter(), format, format.table() ? null : BgpTables.peersJson(view),
				() -> BgpTables.peers(view));
	}

	@Command(name = "bgp routes advertised", group = "BGP",
			description = "The routes bgp-service advertises to each neighbour, of one family", help = """
					bgp routes advertised AFI SAFI [-o json|yaml]
					  AFI ipv4 or ipv6, SAFI unicast: one row per neighbour with that family up and route
					  sent to it (columns Node, VRouter, Peer, Prefix, Attrs).""")
	void advertised(@Argument(index = 0, description = "ipv4 or ipv6") String afi,
			@Argument(index = 1, description = "unicast") String safi,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		String family = family(afi, safi);
		OutputFormat format = OutputFormat.parse(output);
		JsonNode view = AgentHttp.of(this.addresses, "bgp").get(PATH);
		print(context.outputWriter(), format, format.table() ? null : BgpTables.advertisedJson(view, family),
				() -> BgpTables.advertised(view, family));
	}

	private static void print(PrintWriter out, OutputFormat format, JsonNode json,
			java.util.function.Supplier<String> table) {
		if (format.table()) {
			out.print(table.get());
			out.flush();
		}
		else {
			format.print(out, json);
		}
	}

	/** The family as bgp-service names it, or a usage error saying what is allowed. */
	static String family(String afi, String safi) {
		String a = (afi != null) ? afi.strip().toLowerCase() : "";
		String s = (safi != null) ? safi.strip().toLowerCase() : "";
		if ((a.equals("ipv4") || a.equals("ipv6")) && s.equals("unicast")) {
			return a + "_" + s;
		}
		throw new IllegalArgumentException("AFI SAFI must be 'ipv4 unicast' or 'ipv6 unicast' (the families this "
				+ "speaker runs), not '" + afi + " " + safi + "'");
	}

}
