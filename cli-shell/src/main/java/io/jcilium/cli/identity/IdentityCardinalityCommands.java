package io.jcilium.cli.identity;

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
 * {@code identity cardinality}: the labels the agent found making identities multiply
 * (its {@code GET /actuator/identitycardinality}), with the label pattern that would
 * leave each out of identities.
 */
@Component
public class IdentityCardinalityCommands {

	private final ServiceAddresses addresses;

	public IdentityCardinalityCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "identity cardinality", group = "Identity",
			description = "Labels that make identities multiply, per namespace", help = """
					identity cardinality [-o json|yaml]
					  Each label whose values, among one namespace's identities, are at least the
					  agent's threshold (jcilium.agent.identity.cardinality.threshold) distinct ones:
					  usually a label unique per pod, which makes every pod an identity of its own.
					  EXCLUDE WITH is the label pattern (jcilium.agent.labels, and identity-service's
					  jcilium.identity.allocation.label-patterns) that leaves it out.""")
	void cardinality(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		JsonNode body = AgentHttp.of(this.addresses).get("actuator/identitycardinality");
		PrintWriter out = context.outputWriter();
		if (!format.table()) {
			format.print(out, body);
			return;
		}
		if (body.path("findings").isEmpty()) {
			out.println("No label makes identities multiply (threshold: " + body.path("threshold").asInt()
					+ " distinct values in a namespace)");
		}
		else {
			out.print(table(body.path("findings")));
		}
		out.flush();
	}

	static String table(JsonNode findings) {
		TextTable table = new TextTable("NAMESPACE", "LABEL", "VALUES", "IDENTITIES", "EXAMPLES", "EXCLUDE WITH");
		findings.forEach((finding) -> {
			StringBuilder examples = new StringBuilder();
			finding.path("examples").forEach((value) -> {
				examples.append((examples.length() == 0) ? "" : ",").append(value.asString());
			});
			table.row(finding.path("namespace").asString(), finding.path("label").asString(),
					Integer.toString(finding.path("values").asInt()),
					Integer.toString(finding.path("identities").asInt()), examples.toString(),
					finding.path("exclusion").asString());
		});
		return table.render();
	}

}
