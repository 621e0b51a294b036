package io.jcilium.agent.ipam;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * bench/ipam, agent part: pod IP allocate+release cycles per second in the agent's
 * allocator, printed with a baseline measured in the same run (HashMap put+remove),
 * because this machine is shared and noisy. Run through {@code bench/ipam/run.sh}.
 */
public final class PodIpBenchmark {

	private static final int POD_CYCLES = 2_000_000;

	private PodIpBenchmark() {
	}

	public static void main(String[] args) {
		for (String cidr : List.of("10.1.0.0/16", "fd00:10:244:1::/64")) {
			PodIpAllocator allocator = new PodIpAllocator(cidr);
			for (int i = 0; i < 5000; i++) {
				allocator.allocate(new PodIpOwner("warm-" + i, "eth0"));
			}
			runCycles(allocator, POD_CYCLES / 4);
			Map<Long, String> map = new HashMap<>();
			long start = System.nanoTime();
			for (long i = 0; i < POD_CYCLES; i++) {
				map.put(i & 0xffff, "c");
				map.remove(i & 0xffff);
			}
			double baseline = POD_CYCLES / seconds(start);
			start = System.nanoTime();
			runCycles(allocator, POD_CYCLES);
			double cycles = POD_CYCLES / seconds(start);
			report("HashMap put+remove/s (baseline)", baseline, baseline);
			report("pod IP allocate+release/s in " + cidr + " (5000 in use)", cycles, baseline);
		}
	}

	private static void runCycles(PodIpAllocator allocator, int cycles) {
		for (int i = 0; i < cycles; i++) {
			PodIpAllocation allocation = allocator.allocate(new PodIpOwner("c" + (i & 1023), "eth0"));
			allocator.release(allocation.ip(), allocation.owner());
		}
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static void report(String what, double perSecond, double baseline) {
		System.out.printf("%-62s %12.0f  (x%.3f of baseline)%n", what, perSecond, perSecond / baseline);
	}

}
