package io.jcilium.common.policy.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

/**
 * The offline reachability matrix behind {@code policy trace --offline}: no running
 * service, only policy files and a description of the pods.
 * <p>
 * The pods file is YAML:
 *
 * <pre>
 * clusterName: default        # optional, for the "cluster" entity
 * mode: default               # optional enforcement mode: default, always, never
 * namespaces:                 # optional; namespaces named by pods are added without labels
 *   - name: x
 *     labels: {team: blue}    # kubernetes.io/metadata.name is added, as Kubernetes does
 * pods:
 *   - namespace: x
 *     name: a
 *     labels: {app: web}
 *     serviceAccount: web     # optional
 *     ports:                  # optional named container ports
 *       - {name: http, port: 80, protocol: TCP}
 * externals:                  # optional peers that are not pods
 *   - {name: dns, ip: 8.8.8.8}          # resolved through the CIDRs the policies name
 *   - {name: node, entity: host}        # a reserved identity by name
 * </pre>
 *
 * Every ordered pair of members in which at least one side is a pod is traced for every
 * port given, in file order; each line reads {@code from to port/PROTO allowed|denied},
 * and a final summary line counts them.
 */
public final class OfflineTrace {

	private OfflineTrace() {
	}

	/**
	 * Compute the matrix.
	 * @param policiesDir a directory of policy YAML files ({@code *.yaml}, {@code *.yml};
	 * read in name order)
	 * @param podsYaml the pods file
	 * @param ports the ports and protocols to trace
	 * @return one line per (from, to, port) and a summary line
	 * @throws IllegalArgumentException with the file name if a policy or the pods file is
	 * invalid
	 * @throws UncheckedIOException if a file cannot be read
	 */
	public static List<String> run(Path policiesDir, Path podsYaml, List<PortProtocol> ports) {
		PolicyParser parser = new PolicyParser();
		ClusterSpec spec;
		try {
			spec = ClusterSpec.parse(Files.readString(podsYaml));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read pods file " + podsYaml, ex);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(podsYaml.getFileName() + ": " + ex.getMessage(), ex);
		}
		List<PolicyObject> policies = new ArrayList<>();
		for (Path file : policyFiles(policiesDir)) {
			try {
				policies.addAll(parser.parse(Files.readString(file)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read policy file " + file, ex);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(file.getFileName() + ": " + ex.getMessage(), ex);
			}
		}
		return matrix(ClusterModel.build(spec, policies, true), ports);
	}

	/**
	 * The matrix lines of a model.
	 * @param model the cluster model
	 * @param ports ports to trace
	 * @return the lines and the summary
	 */
	public static List<String> matrix(ClusterModel model, List<PortProtocol> ports) {
		List<String> lines = new ArrayList<>();
		int allowed = 0;
		int denied = 0;
		for (String from : model.names()) {
			for (String to : model.names()) {
				if (!model.isPod(from) && !model.isPod(to)) {
					continue;
				}
				for (PortProtocol port : ports) {
					Verdict verdict = model.trace(from, to, port).verdict();
					lines.add(from + " " + to + " " + port + " " + verdict.text());
					if (verdict == Verdict.ALLOWED) {
						allowed++;
					}
					else {
						denied++;
					}
				}
			}
		}
		lines.add("summary: " + (allowed + denied) + " connections, " + allowed + " allowed, " + denied + " denied");
		return lines;
	}

	private static List<Path> policyFiles(Path dir) {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter((f) -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list policy directory " + dir, ex);
		}
	}

}
