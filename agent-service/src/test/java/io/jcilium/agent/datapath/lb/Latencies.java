package io.jcilium.agent.datapath.lb;

import java.util.Arrays;

/**
 * {@code bench/services}: connect() p50/p99 to several addresses, measured in rounds that
 * alternate between them, so that a change of load on this shared machine falls on every
 * address alike rather than on whichever was measured during it. Each figure is the
 * median of the rounds' p50 (and p99).
 */
final class Latencies {

	private static final int ROUNDS = 5;

	private Latencies() {
	}

	/**
	 * Measures.
	 * @param connects connects per address, spread over the rounds
	 * @return per target, "p50 / p99" in microseconds
	 */
	static String[] alternate(Clients clients, String namespace, int connects, Target... targets) {
		double[][] p50 = new double[targets.length][ROUNDS];
		double[][] p99 = new double[targets.length][ROUNDS];
		int perRound = Math.max(1, connects / ROUNDS);
		for (int round = 0; round < ROUNDS; round++) {
			for (int i = 0; i < targets.length; i++) {
				String[] figures = clients.latency(namespace, targets[i].host(), targets[i].port(), perRound)
					.split(" / ");
				p50[i][round] = Double.parseDouble(figures[0]);
				p99[i][round] = Double.parseDouble(figures[1]);
			}
		}
		String[] out = new String[targets.length];
		for (int i = 0; i < targets.length; i++) {
			out[i] = String.format("%.1f / %.1f", median(p50[i]), median(p99[i]));
		}
		return out;
	}

	static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	/**
	 * An address connected to.
	 *
	 * @param host the address
	 * @param port the port
	 */
	record Target(String host, int port) {
	}

}
