package io.jcilium.cli.policy;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.cli.endpoint.AgentHttp;
import io.jcilium.cli.endpoint.EndpointCompletions;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.common.policy.trace.PortProtocol;
import tools.jackson.databind.JsonNode;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code policy trace}: which pods may talk to which, on which ports, under a set of
 * policies. The live form asks the agent about one pair under the rules it enforces now,
 * as {@code cilium-dbg policy trace --src-k8s-pod --dst-k8s-pod --dport}; the offline
 * form needs no running service: it reads policy YAML and a pods file and prints the
 * whole reachability matrix.
 */
@Component
public class PolicyCommands {

	private final ServiceAddresses addresses;

	public PolicyCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "policy trace", group = "Policy", completionProvider = EndpointCompletions.PODS,
			description = "Would a connection be allowed, and by which rules: live on the agent, or offline from YAML",
			help = """
					policy trace --src-k8s-pod NS:POD | -s LABELS  --dst-k8s-pod NS:POD | -d LABELS
					             --dport 80/TCP [-o json|yaml]
					  Asks the agent (jcilium.services.agent.url) whether a new connection between the two
					  would be allowed by the rules it enforces now, and which rules decide each side.
					  LABELS: comma-separated, e.g. k8s:app=web,k8s:io.kubernetes.pod.namespace=shop, or
					  one reserved label such as reserved:world.
					policy trace --offline --policies DIR --pods PODS.yaml [--ports 80/TCP,81/UDP]
					  Reads every *.yaml / *.yml policy file in DIR and the pods, namespaces, external
					  peers and services (for toServices rules) in PODS.yaml, then prints one line per
					  'from to port/PROTO verdict' and a summary line. Needs no running service.""")
	void trace(
			@Option(longName = "offline", description = "compute from files, without the agent",
					defaultValue = "false") boolean offline,
			@Option(longName = "policies", description = "directory of policy YAML files") String policies,
			@Option(longName = "pods", description = "YAML file listing namespaces, pods and services") String pods,
			@Option(longName = "ports", description = "ports to trace, e.g. 80/TCP,81/UDP",
					defaultValue = "80/TCP") String ports,
			@Option(longName = "src-k8s-pod", description = "source pod, namespace:pod") String srcPod,
			@Option(longName = "dst-k8s-pod", description = "destination pod, namespace:pod") String dstPod,
			@Option(longName = "src", shortName = 's', description = "source labels") String srcLabels,
			@Option(longName = "dst", shortName = 'd', description = "destination labels") String dstLabels,
			@Option(longName = "dport", description = "destination port/protocol, e.g. 80/TCP") String dport,
			@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		PrintWriter out = context.outputWriter();
		if (!offline) {
			live(out, srcPod, dstPod, srcLabels, dstLabels, dport, OutputFormat.parse(output));
			return;
		}
		Path policiesDir = existing(policies, "--policies", true);
		Path podsFile = existing(pods, "--pods", false);
		List<PortProtocol> portList = PortProtocol.parseList(ports);
		PolicyTraceFiles.trace(policiesDir, podsFile, portList).forEach(out::println);
		out.flush();
	}

	private void live(PrintWriter out, String srcPod, String dstPod, String srcLabels, String dstLabels, String dport,
			OutputFormat format) {
		if (dport == null || dport.isBlank()) {
			throw new IllegalArgumentException("--dport is required, e.g. --dport 80/TCP (or use --offline)");
		}
		PortProtocol.parse(dport);
		List<String> query = new ArrayList<>();
		query.add(side("src", srcPod, srcLabels));
		query.add(side("dst", dstPod, dstLabels));
		query.add(parameter("dport", dport.strip()));
		JsonNode trace = AgentHttp.of(this.addresses).get("actuator/policytrace?" + String.join("&", query));
		if (!format.table()) {
			format.print(out, trace);
			return;
		}
		out.println("----------------------------------------------------------------");
		out.println("Tracing From: " + labels(trace.path("from")) + " => To: " + labels(trace.path("to")) + " Ports: ["
				+ trace.path("port").asString() + "]");
		out.println();
		// The agent's account ends with its own verdict line; upstream's words end it
		// here.
		JsonNode explanation = trace.path("explanation");
		for (int i = 0; i < explanation.size() - 1; i++) {
			out.println(explanation.get(i).asString());
		}
		out.println("Final verdict: " + trace.path("verdict").asString());
		out.flush();
	}

	private static String labels(JsonNode labels) {
		List<String> texts = new ArrayList<>();
		labels.forEach((label) -> texts.add(label.asString()));
		return "[" + String.join(", ", texts) + "]";
	}

	private static String side(String name, String pod, String labels) {
		boolean hasPod = pod != null && !pod.isBlank();
		boolean hasLabels = labels != null && !labels.isBlank();
		if (hasPod == hasLabels) {
			String flag = name.equals("src") ? "-s" : "-d";
			throw new IllegalArgumentException("give the " + (name.equals("src") ? "source" : "destination")
					+ " as either --" + name + "-k8s-pod NS:POD or " + flag + " LABELS (or use --offline)");
		}
		return hasPod ? parameter(name + "Pod", pod.strip()) : parameter(name + "Labels", labels.strip());
	}

	private static String parameter(String name, String value) {
		return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
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
