package io.jcilium.cli.policy;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.jcilium.common.policy.trace.PortProtocol;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code policy trace}: which pods may talk to which, on which ports, under a set of
 * policies. The offline form needs no running service: it reads policy YAML and a pods
 * file and prints the whole reachability matrix, like {@code cilium-dbg policy trace}
 * does for one pair.
 */
@Component
class PolicyCommands {

	@Command(name = "policy trace", group = "Policy",
			description = "Reachability matrix of pods under NetworkPolicy / CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy YAML",
			help = """
					policy trace --offline --policies DIR --pods PODS.yaml [--ports 80/TCP,81/UDP]
					  Reads every *.yaml / *.yml policy file in DIR and the pods, namespaces and external
					  peers in PODS.yaml, then prints one line per 'from to port/PROTO verdict' and a
					  summary line. Needs no running service.""")
	void trace(@Option(longName = "offline", description = "compute from files, without the agent") boolean offline,
			@Option(longName = "policies", description = "directory of policy YAML files") String policies,
			@Option(longName = "pods", description = "YAML file listing namespaces and pods") String pods,
			@Option(longName = "ports", description = "ports to trace, e.g. 80/TCP,81/UDP",
					defaultValue = "80/TCP") String ports,
			CommandContext context) {
		if (!offline) {
			throw new IllegalArgumentException(
					"only the offline form is available so far: add --offline with --policies DIR and --pods FILE");
		}
		Path policiesDir = existing(policies, "--policies", true);
		Path podsFile = existing(pods, "--pods", false);
		List<PortProtocol> portList = PortProtocol.parseList(ports);
		PrintWriter out = context.outputWriter();
		PolicyTraceFiles.trace(policiesDir, podsFile, portList).forEach(out::println);
		out.flush();
	}

	private static Path existing(String value, String option, boolean directory) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(option + " is required");
		}
		Path path = Path.of(value);
		if (directory ? !Files.isDirectory(path) : !Files.isRegularFile(path)) {
			throw new IllegalArgumentException(
					option + " " + value + ": no such " + (directory ? "directory" : "file"));
		}
		return path;
	}

}
