package io.jcilium.common.policy.trace;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

/**
 * The offline reachability matrix behind {@code policy trace --offline}: no running
 * service, only policy files and a description of the pods. Reading the files is the
 * console's job; this class gets their names and contents.
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
 * services:                   # optional, what toServices rules resolve against
 *   - {namespace: x, name: web, labels: {tier: front}, selector: {app: web}}
 *   - {namespace: x, name: db, endpoints: [192.0.2.10]}  # no selector: its backend addresses
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
	 * @param pods the pods file
	 * @param policies the policy files, in the order to read them
	 * @param ports the ports and protocols to trace
	 * @return one line per (from, to, port) and a summary line
	 * @throws IllegalArgumentException starting with the file's name if a policy or the
	 * pods file is invalid
	 */
	public static List<String> run(Source pods, List<Source> policies, List<PortProtocol> ports) {
		ClusterSpec spec;
		try {
			spec = ClusterSpec.parse(pods.text());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(pods.name() + ": " + ex.getMessage(), ex);
		}
		PolicyParser parser = new PolicyParser();
		List<PolicyObject> objects = new ArrayList<>();
		for (Source policy : policies) {
			try {
				objects.addAll(parser.parse(policy.text()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(policy.name() + ": " + ex.getMessage(), ex);
			}
		}
		return matrix(ClusterModel.build(spec, objects, true), ports);
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

	/**
	 * One input file.
	 *
	 * @param name how messages name it, e.g. {@code web.yaml}
	 * @param text its content
	 */
	public record Source(String name, String text) {

	}

}
