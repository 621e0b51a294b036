package io.jcilium.operator.lbipam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.operator.lbipam.LbService.Family;
import io.jcilium.operator.lbipam.LbService.Port;

/**
 * LB-IPAM assignment time for 5,000 LoadBalancer services in one pool, for
 * {@code bench/ipam/run.sh}: one planning pass from scratch, and one over services that
 * already hold their addresses (the steady state every reconcile pass sees). A plain
 * harness, not a test: prints the medians of a few passes after warm-up.
 */
public final class LbIpamBenchmark {

	private static final int SERVICES = 5000;

	private LbIpamBenchmark() {
	}

	public static void main(String[] args) {
		LbIpamPlanner planner = new LbIpamPlanner();
		List<LbPool> pools = List
			.of(new LbPool("bench", 1, List.of(LbPool.Block.cidr("10.96.0.0/16")), null, false, false));
		List<LbService> fresh = services(Map.of());
		LbIpamPlan assigned = planner.plan(pools, fresh);
		List<LbService> steady = services(assigned.services());
		for (int i = 0; i < 5; i++) {
			planner.plan(pools, fresh);
			planner.plan(pools, steady);
		}
		System.out.printf("%-62s %9.1f ms%n", "LB-IPAM pass assigning " + SERVICES + " services from scratch",
				medianMillis(() -> planner.plan(pools, fresh)));
		System.out.printf("%-62s %9.1f ms%n", "LB-IPAM pass over " + SERVICES + " services already assigned",
				medianMillis(() -> planner.plan(pools, steady)));
	}

	private static List<LbService> services(Map<String, LbIpamPlan.ServiceResult> current) {
		List<LbService> services = new ArrayList<>(SERVICES);
		for (int i = 0; i < SERVICES; i++) {
			String name = "svc-" + i;
			LbIpamPlan.ServiceResult result = current.get("bench/" + name);
			services.add(new LbService("bench", name, i, Map.of(), Set.of(Family.IPV4), false, List.of(), null,
					Set.of(), List.of(new Port(80, "TCP")), (result != null) ? result.ips() : List.of()));
		}
		return services;
	}

	private static double medianMillis(Runnable pass) {
		double[] millis = new double[7];
		for (int i = 0; i < millis.length; i++) {
			long start = System.nanoTime();
			pass.run();
			millis[i] = (System.nanoTime() - start) / 1e6;
		}
		java.util.Arrays.sort(millis);
		return millis[millis.length / 2];
	}

}
