package io.jcilium.cli.status;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.jcilium.cli.CommandFailedException;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.services.ServiceAddresses.ServiceAddress;
import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code status}: is every jcilium service up? One row per HTTP health check and one per
 * gRPC health check; fails (exit code 1) unless all pass.
 */
@Component
public class StatusCommands {

	private final ServiceAddresses addresses;

	private final StatusProperties properties;

	private final ServiceStatusChecker checker = new ServiceStatusChecker();

	public StatusCommands(ServiceAddresses addresses, StatusProperties properties) {
		this.addresses = addresses;
		this.properties = properties;
	}

	@Command(name = "status", group = "Cluster",
			description = "Health of the jcilium services: actuator health over HTTP and the standard gRPC health check",
			help = """
					status [SERVICE...] [--timeout 2s] [--verbose] [-o json|yaml]
					  Checks every configured service, or only the ones named (e.g. 'status identity relay').
					  Addresses come from jcilium.services.<name>.url / .grpc.
					  Fails unless every check is UP / SERVING (DEGRADED passes: a background job is retrying).
					  --verbose adds each service's health components and background jobs (controllers):
					  runs, failures, last error and last success.
					  -o json|yaml prints every check with its components, whatever --verbose says.""")
	void status(@Arguments List<String> services,
			@Option(longName = "timeout", description = "how long one check may take, e.g. 500ms or 5s") String timeout,
			@Option(longName = "verbose", shortName = 'v',
					description = "every health component and job of each service",
					defaultValue = "false") boolean verbose,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		Map<String, ServiceAddress> selected = select(services);
		List<HealthCheck> checks = this.checker.check(selected, timeoutOf(timeout), this.addresses.tls());
		PrintWriter out = context.outputWriter();
		if (!format.table()) {
			format.print(out, data(checks));
		}
		else {
			out.print(table(checks));
		}
		if (verbose && format.table()) {
			for (HealthCheck check : checks) {
				if (!check.components().isEmpty()) {
					out.println();
					out.println(check.service() + " " + check.address() + ": " + check.status());
					out.print(HealthTree.render(check.components()));
				}
			}
		}
		out.flush();
		List<HealthCheck> failed = checks.stream().filter((check) -> !check.healthy()).toList();
		if (!failed.isEmpty()) {
			throw new CommandFailedException(failed.size() + " of " + checks.size() + " health checks failed: "
					+ failed.stream().map(StatusCommands::describe).collect(Collectors.joining(", ")));
		}
	}

	static String table(List<HealthCheck> checks) {
		TextTable table = new TextTable("SERVICE", "URL", "STATUS", "DETAILS");
		checks.forEach((check) -> table.row(check.service(), check.address(), check.status(), check.details()));
		return table.render();
	}

	/**
	 * The checks for {@code -o json|yaml}: one object per check, its fields named as the
	 * table's columns, with its health components.
	 */
	static JsonNode data(List<HealthCheck> checks) {
		ArrayNode list = JsonMapper.shared().createArrayNode();
		for (HealthCheck check : checks) {
			ObjectNode node = list.addObject()
				.put("service", check.service())
				.put("url", check.address())
				.put("status", check.status())
				.put("details", check.details())
				.put("healthy", check.healthy());
			ArrayNode components = node.putArray("components");
			for (List<String> row : check.components()) {
				components.addObject()
					.put("component", row.get(0))
					.put("status", row.get(1))
					.put("details", row.get(2));
			}
		}
		return list;
	}

	private Map<String, ServiceAddress> select(List<String> names) {
		Map<String, ServiceAddress> known = this.addresses.services();
		if (names == null || names.isEmpty()) {
			return known;
		}
		Map<String, ServiceAddress> selected = new LinkedHashMap<>();
		for (String name : names) {
			ServiceAddress address = known.get(name);
			if (address == null) {
				throw new IllegalArgumentException(
						"unknown service '" + name + "'; configured services: " + String.join(", ", known.keySet()));
			}
			selected.put(name, address);
		}
		return selected;
	}

	private Duration timeoutOf(String option) {
		if (option == null || option.isEmpty()) {
			return this.properties.timeout();
		}
		Duration timeout;
		try {
			timeout = DurationStyle.detectAndParse(option);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("--timeout '" + option + "' is not a duration such as 500ms or 5s");
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("--timeout must be positive, got '" + option + "'");
		}
		return timeout;
	}

	private static String describe(HealthCheck check) {
		return check.service() + " " + (check.address().startsWith("grpc://") ? "gRPC " : "") + check.status();
	}

}
