package io.jcilium.agent.datapath.endpoint;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.PodTraffic;
import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.endpoint.TestEndpoints;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

/**
 * Policy-change-to-enforced latency measured by real packets (run by
 * {@code bench/endpoints/policy-latency.sh}, as root). Two pods behind a node namespace
 * are driven through {@link BpfEndpointDatapath} and the policy cell; the web pod's
 * policy alternately allows and stops allowing TCP 8081 from the client. Policy updates
 * are asynchronous (the call hands the change to the policy map writer), so after each
 * change the bench waits until the agent reports the change's policy revision in every
 * endpoint's map ({@code AgentPolicy.whenRealized}, upstream's
 * {@code cilium policy wait}) and then attempts a new connection: for an allow, the
 * latency is the time from the update call to the connection carrying data; for a
 * removal, from the update call to the start of the first connection attempt whose SYN is
 * dropped. A second series of allows attempts the connection at once, without the wait,
 * and counts how often its first SYN raced the write and was dropped (the probe then
 * tries again after its 200 ms timeout). The baseline is the same probe (a new connection
 * to always-allowed 8080) with no change.
 * <p>
 * Arguments: {@code changes warmup}. Prints p50/p99 per kind in milliseconds.
 */
public final class PolicyLatencyBench {

	private static final int PROBE_TIMEOUT_MILLIS = 200;

	private PolicyLatencyBench() {
	}

	public static void main(String[] args) throws Exception {
		int changes = (args.length > 0) ? Integer.parseInt(args[0]) : 50;
		int warmup = (args.length > 1) ? Integer.parseInt(args[1]) : 10;
		List<ServerSocket> listeners = new ArrayList<>();
		try (EndpointRig rig = new EndpointRig("jcilium-bench-policy")) {
			Runtime.getRuntime().addShutdownHook(new Thread(rig::close));
			PodTopology.Pod client = rig.topology.addPod("c", "10.203.0.1");
			PodTopology.Pod web = rig.topology.addPod("w", "10.203.0.2");
			rig.startAgent();
			rig.policy.upsertIdentity(Identity.of(1001, EndpointRig.labels("client")));
			rig.policy.upsertIdentity(Identity.of(1002, EndpointRig.labels("web")));
			Endpoint clientEndpoint = rig.endpoint(client, 1, 1001, EndpointRig.labels("client"));
			Endpoint webEndpoint = rig.endpoint(web, 2, 1002, EndpointRig.labels("web"));
			rig.datapath.regenerate(clientEndpoint);
			rig.datapath.regenerate(webEndpoint);
			listeners.add(PodTraffic.listen(web, 8080));
			listeners.add(PodTraffic.listen(web, 8081));
			PolicyParser parser = new PolicyParser();
			PolicyObject closed = parser.parse(EndpointPolicyDatapathIT.WEB_POLICY).get(0);
			PolicyObject open = parser
				.parse(EndpointPolicyDatapathIT.WEB_POLICY.replace("{port: \"8080\", protocol: TCP}",
						"{port: \"8080\", protocol: TCP}, {port: \"8081\", protocol: TCP}"))
				.get(0);
			rig.policy.upsertPolicy(closed);

			double[] baseline = new double[changes];
			double[] allow = new double[changes / 2];
			double[] deny = new double[changes - changes / 2];
			double[] write = new double[changes];
			double[] racing = new double[changes / 2];
			int[] raced = new int[1];
			for (int round = -warmup; round < changes; round++) {
				long start = System.nanoTime();
				if (!PodTraffic.connects(client, web, 8080, 1000)) {
					throw new IllegalStateException("baseline probe to 8080 failed: the bench topology is broken");
				}
				double probe = (System.nanoTime() - start) / 1e6;
				boolean opening = Math.floorMod(round, 2) == 0;
				start = System.nanoTime();
				rig.policy.upsertPolicy(opening ? open : closed);
				rig.policy.whenRealized(rig.policy.revision()).get(10, TimeUnit.SECONDS);
				double written = (System.nanoTime() - start) / 1e6;
				double enforced = opening ? untilConnects(client, web, start, null) : untilDropped(client, web, start);
				if (round >= 0) {
					baseline[round] = probe;
					write[round] = written;
					(opening ? allow : deny)[round / 2] = enforced;
				}
			}
			for (int round = -warmup; round < racing.length; round++) {
				rig.policy.upsertPolicy(closed);
				rig.policy.whenRealized(rig.policy.revision()).get(10, TimeUnit.SECONDS);
				long start = System.nanoTime();
				rig.policy.upsertPolicy(open);
				double enforced = untilConnects(client, web, start, (round >= 0) ? raced : new int[1]);
				if (round >= 0) {
					racing[round] = enforced;
				}
			}
			double[] reload = new double[Math.max(1, changes / 2)];
			for (int round = -2; round < reload.length; round++) {
				long identity = (Math.floorMod(round, 2) == 0) ? 1004 : 1001;
				TestEndpoints.relabel(clientEndpoint, identity,
						EndpointRig.labels((identity == 1001) ? "client" : "x"));
				long start = System.nanoTime();
				rig.datapath.regenerate(clientEndpoint);
				if (round >= 0) {
					reload[round] = (System.nanoTime() - start) / 1e6;
				}
			}
			report("baseline: new connection, no change", baseline);
			report("policy update call until its revision is in every map", write);
			report("allow change until a new connection gets through", allow);
			report("deny change until a new connection is dropped", deny);
			report("allow change, connection at once (no wait): gets through", racing);
			System.out.printf(Locale.ROOT, "  of which the first SYN raced the map write and was dropped: %d of %d%n",
					raced[0], racing.length);
			report("identity change: bpf_lxc loaded, maps, filters replaced", reload);
		}
		finally {
			for (ServerSocket listener : listeners) {
				listener.close();
			}
		}
	}

	private static double untilConnects(PodTopology.Pod client, PodTopology.Pod web, long start, int[] raced) {
		for (int attempt = 0; attempt < 50; attempt++) {
			if (PodTraffic.connects(client, web, 8081, PROBE_TIMEOUT_MILLIS)) {
				return (System.nanoTime() - start) / 1e6;
			}
			if (attempt == 0 && raced != null) {
				raced[0]++;
			}
		}
		throw new IllegalStateException("TCP 8081 still dropped 10 s after it was allowed");
	}

	private static double untilDropped(PodTopology.Pod client, PodTopology.Pod web, long start) {
		for (int attempt = 0; attempt < 50; attempt++) {
			long attemptStart = System.nanoTime();
			if (!PodTraffic.connects(client, web, 8081, PROBE_TIMEOUT_MILLIS)) {
				return (attemptStart - start) / 1e6;
			}
		}
		throw new IllegalStateException("TCP 8081 still allowed after 50 new connections since it was denied");
	}

	private static void report(String what, double[] millis) {
		double[] sorted = millis.clone();
		Arrays.sort(sorted);
		System.out.printf(Locale.ROOT, "%-58s n=%-3d p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n", what, sorted.length,
				percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1]);
	}

	private static double percentile(double[] sorted, double p) {
		int index = (int) Math.ceil(p * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

}
