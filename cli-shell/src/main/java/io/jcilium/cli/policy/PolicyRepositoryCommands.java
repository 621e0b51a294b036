package io.jcilium.cli.policy;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.cli.endpoint.AgentHttp;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code policy get} and {@code policy selectors}: the agent's policy repository, as
 * upstream's {@code cilium-dbg policy get [labels]} (the rules in force as JSON, then the
 * revision) and {@code cilium-dbg policy selectors} (SELECTOR, LABELS, USERS,
 * IDENTITIES).
 */
@Component
public class PolicyRepositoryCommands {

	private final ServiceAddresses addresses;

	public PolicyRepositoryCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "policy get", group = "Policy", description = "The rules the agent enforces, as JSON", help = """
			policy get [LABEL...] [-o json|yaml]
			  The agent's rules in force in the Cilium rule shape (NetworkPolicies translated), with
			  the labels of the policy each came from, then 'Revision: N'. LABELs keep only the rules
			  carrying all of them, e.g. k8s:io.cilium.k8s.policy.name=web
			  k8s:io.cilium.k8s.policy.namespace=shop ('endpoint get' names the rules in force for
			  an endpoint). -o json prints the revision and the rules as one object.""")
	void get(@Arguments List<String> labels,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		String path = "actuator/policy";
		if (labels != null && !labels.isEmpty()) {
			path += "?labels=" + URLEncoder.encode(String.join(",", labels), StandardCharsets.UTF_8);
		}
		JsonNode repository = AgentHttp.of(this.addresses).get(path);
		PrintWriter out = context.outputWriter();
		if (!format.table()) {
			format.print(out, repository);
			return;
		}
		OutputFormat.JSON.print(out, repository.path("policy"));
		out.println("Revision: " + repository.path("revision").asLong());
		out.flush();
	}

	@Command(name = "policy selectors", group = "Policy",
			description = "The agent's peer selectors and the identities each selects", help = """
					policy selectors [-v] [-o json|yaml]
					  Every peer selector of the rules in force: the policies using it (namespace/name;
					  -v prints their full labels), how many peer rules use it, and the identities it
					  selects now, one per line.""")
	void selectors(
			@Option(longName = "verbose", shortName = 'v', description = "the full labels",
					defaultValue = "false") boolean verbose,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		JsonNode selectors = AgentHttp.of(this.addresses).get("actuator/policy/selectors");
		PrintWriter out = context.outputWriter();
		if (!format.table()) {
			format.print(out, selectors);
			return;
		}
		out.print(selectorTable(selectors, verbose));
		out.flush();
	}

	static String selectorTable(JsonNode selectors, boolean verbose) {
		TextTable table = new TextTable("SELECTOR", "LABELS", "USERS", "IDENTITIES");
		for (JsonNode row : selectors) {
			List<String> identities = new ArrayList<>();
			row.path("identities").forEach((identity) -> identities.add(identity.asString()));
			table.row(row.path("selector").asString(), labels(row.path("labels"), verbose),
					row.path("users").asString(), identities.isEmpty() ? "" : identities.get(0));
			for (int i = 1; i < identities.size(); i++) {
				table.row("", "", "", identities.get(i));
			}
		}
		return table.render();
	}

	// Upstream's short form: namespace/name of each namespaced policy; -v: every label of
	// every policy, source:key=value.
	private static String labels(JsonNode policies, boolean verbose) {
		List<String> texts = new ArrayList<>();
		for (JsonNode policy : policies) {
			String namespace = value(policy, "io.cilium.k8s.policy.namespace");
			if (verbose) {
				List<String> labels = new ArrayList<>();
				policy.forEach((label) -> labels.add(label.path("source").asString() + ":"
						+ label.path("key").asString() + "=" + label.path("value").asString()));
				labels.sort(null);
				texts.add("[" + String.join(" ", labels) + "]");
			}
			else if (!namespace.isEmpty()) {
				texts.add(namespace + "/" + value(policy, "io.cilium.k8s.policy.name"));
			}
		}
		return String.join(",", texts);
	}

	private static String value(JsonNode labels, String key) {
		for (JsonNode label : labels) {
			if (key.equals(label.path("key").asString())) {
				return label.path("value").asString();
			}
		}
		return "";
	}

}
