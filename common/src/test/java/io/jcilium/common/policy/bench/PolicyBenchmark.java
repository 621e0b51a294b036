package io.jcilium.common.policy.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.PolicyDelta;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

/**
 * Plain benchmark harness for the policy engine (run by {@code bench/policy/run.sh}).
 * <p>
 * Shape: 10,000 pod identities (100 apps, 10 namespaces, 1,000 groups {@code grp-N}), the
 * first 1,000 of them local endpoints, and 1,000 clusterwide rules; rule r applies to app
 * r mod 100, allows ingress from group r on 80/TCP and 8000-8099/TCP (three prefixes) and
 * egress to group r+500 on 53/UDP. The incremental case adds one identity that is a
 * member of 100 groups, so 10% of the peer selectors select it, then removes it again.
 */
public final class PolicyBenchmark {

	static final int IDENTITIES = 10_000;

	static final int ENDPOINTS = 1_000;

	static final int RULES = 1_000;

	static final int FIRST_ID = 1_000;

	// CPU time as well as wall time: the benchmark machine is shared, and wall time of a
	// millisecond-long step mostly measures the scheduler.
	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private PolicyBenchmark() {
	}

	public static void main(String[] args) {
		List<PolicyObject> policies = new PolicyParser().parse(policiesYaml());
		PolicyEngine engine = load(policies);
		long entries = engine.policies().values().stream().mapToLong((p) -> p.entries().size()).sum();
		double[] full = new double[5];
		double[] fullCpu = new double[full.length];
		for (int i = 0; i < full.length + 2; i++) {
			long cpu = THREADS.getCurrentThreadCpuTime();
			long start = System.nanoTime();
			engine.computeAll();
			if (i >= 2) {
				full[i - 2] = (System.nanoTime() - start) / 1e9;
				fullCpu[i - 2] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
			}
		}
		Identity newcomer = newcomer();
		double[] incremental = new double[200];
		double[] incrementalCpu = new double[incremental.length];
		int changed = 0;
		for (int i = 0; i < incremental.length + 50; i++) {
			long cpu = THREADS.getCurrentThreadCpuTime();
			long start = System.nanoTime();
			PolicyDelta delta = engine.upsertIdentity(newcomer);
			if (i >= 50) {
				incremental[i - 50] = (System.nanoTime() - start) / 1e9;
				incrementalCpu[i - 50] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
			}
			changed = delta.entryChanges();
			engine.removeIdentity(newcomer.id());
		}
		double fullMedian = median(full);
		double incrementalMedian = median(incremental);
		double fullCpuMedian = median(fullCpu);
		double incrementalCpuMedian = median(incrementalCpu);
		System.out.printf(Locale.ROOT, "policy engine: %d endpoints, %d identities, %d rules, %d map entries%n",
				ENDPOINTS, IDENTITIES, RULES, entries);
		System.out.printf(Locale.ROOT, "full computation (median of %d): %.1f ms wall, %.1f ms cpu%n", full.length,
				fullMedian * 1e3, fullCpuMedian * 1e3);
		System.out.printf(Locale.ROOT,
				"incremental update, one identity selected by 10%% of the selectors (median of %d): %.3f ms wall, "
						+ "%.3f ms cpu, %d entries added%n",
				incremental.length, incrementalMedian * 1e3, incrementalCpuMedian * 1e3, changed);
		System.out.printf(Locale.ROOT, "ratio full/incremental: %.0fx wall, %.0fx cpu%n",
				fullMedian / incrementalMedian, fullCpuMedian / incrementalCpuMedian);
		System.out.printf(Locale.ROOT, "load average while measuring: %.1f on %d cores%n",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors());
	}

	static PolicyEngine load(List<PolicyObject> policies) {
		PolicyEngine engine = new PolicyEngine();
		for (int i = 0; i < IDENTITIES; i++) {
			engine.upsertIdentity(identity(FIRST_ID + i));
		}
		policies.forEach(engine::upsertPolicy);
		for (int i = 0; i < ENDPOINTS; i++) {
			engine.upsertEndpoint(FIRST_ID + i, List.of());
		}
		return engine;
	}

	static Identity identity(long id) {
		long n = id - FIRST_ID;
		return Identity.of(id, Labels.parse(List.of("k8s:app=app-" + (n % 100),
				"k8s:io.kubernetes.pod.namespace=ns-" + (n % 10), "k8s:grp-" + (n % RULES) + "=member")));
	}

	static Identity newcomer() {
		List<String> labels = new ArrayList<>(List.of("k8s:app=newcomer", "k8s:io.kubernetes.pod.namespace=ns-0"));
		for (int g = 0; g < RULES / 10; g++) {
			labels.add("k8s:grp-" + g + "=member");
		}
		return Identity.of(FIRST_ID + IDENTITIES, Labels.parse(labels));
	}

	static String policiesYaml() {
		StringBuilder yaml = new StringBuilder();
		for (int r = 0; r < RULES; r++) {
			yaml.append("---\napiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\n")
				.append("metadata: {name: rule-")
				.append(r)
				.append("}\nspec:\n  endpointSelector: {matchLabels: {app: app-")
				.append(r % 100)
				.append("}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {grp-")
				.append(r)
				.append(": member}}]\n      toPorts: [{ports: [{port: \"80\", protocol: TCP}, ")
				.append("{port: \"8000\", endPort: 8099, protocol: TCP}]}]\n")
				.append("  egress:\n    - toEndpoints: [{matchLabels: {grp-")
				.append((r + 500) % RULES)
				.append(": member}}]\n      toPorts: [{ports: [{port: \"53\", protocol: UDP}]}]\n");
		}
		return yaml.toString();
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
