package io.jcilium.cli.config;

import java.io.PrintWriter;
import java.util.List;

import io.jcilium.cli.endpoint.AgentHttp;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;
import tools.jackson.databind.JsonNode;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code config [OPTION=VALUE...]}: the agent's options as upstream's
 * {@code cilium-dbg config} prints them ({@code %-34s: value} under its section headers),
 * and the ones that can change while the agent runs, changed.
 */
@Component
public class ConfigCommands {

	private final ServiceAddresses addresses;

	public ConfigCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "config", group = "Agent", description = "Show the agent's options, or change one while it runs",
			help = """
					config [-r | -a] [-o json|yaml]
					  The agent's read-write options (Debug); -r the read-only ones, by the property
					  that sets them at start (jcilium.agent.routing.mode, ...); -a both.
					config OPTION=VALUE...
					  Changes read-write options at once, e.g. config Debug=Enabled, then shows them.""")
	void config(@Arguments List<String> options,
			@Option(longName = "read-only", shortName = 'r', description = "the read-only options",
					defaultValue = "false") boolean readOnly,
			@Option(longName = "all", shortName = 'a', description = "read-only and read-write options",
					defaultValue = "false") boolean all,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		AgentHttp agent = AgentHttp.of(this.addresses);
		JsonNode config = null;
		for (String option : (options != null) ? options : List.<String>of()) {
			int equals = option.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException(
						"'" + option + "' is not OPTION=VALUE: give e.g. Debug=Enabled, or no argument to show");
			}
			config = agent.post("actuator/config",
					new Change(option.substring(0, equals), option.substring(equals + 1)));
		}
		if (config == null) {
			config = agent.get("actuator/config");
		}
		PrintWriter out = context.outputWriter();
		if (!format.table()) {
			format.print(out, all ? config : config.path(readOnly ? "readOnly" : "readWrite"));
			return;
		}
		if (readOnly || all) {
			out.println("#### Read-only configurations ####");
			print(out, config.path("readOnly"));
		}
		if (!readOnly) {
			out.println("##### Read-write configurations #####");
			print(out, config.path("readWrite"));
		}
		out.flush();
	}

	private static void print(PrintWriter out, JsonNode options) {
		options.properties().forEach((option) -> {
			JsonNode value = option.getValue();
			String text = value.isArray() ? joined(value) : value.isNull() ? "" : value.asString();
			out.printf("%-34s: %s%n", option.getKey(), text);
		});
	}

	/** The body of the agent's write operation. */
	record Change(String option, String value) {

	}

	private static String joined(JsonNode values) {
		StringBuilder text = new StringBuilder();
		values.forEach((value) -> text.append((text.length() > 0) ? "," : "").append(value.asString()));
		return text.toString();
	}

}
