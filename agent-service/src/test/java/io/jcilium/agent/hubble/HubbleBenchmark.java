package io.jcilium.agent.hubble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench/hubble}: what one agent turns into stored, queryable flows without loss
 * ({@link IngestBench}), and {@code GetFlows} throughput over gRPC
 * ({@link GetFlowsBench}), the durable history's cost and capacity
 * ({@link HistoryBench}), each beside a baseline measured in the same run and the load
 * average.
 */
public final class HubbleBenchmark {

	private HubbleBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		long millis = (args.length > 0) ? Long.parseLong(args[0]) : 3000;
		System.out.println("load average at start: " + load());
		if (args.length < 2 || args[1].equals("ingest")) {
			IngestBench.run(millis);
		}
		if (args.length < 2 || args[1].equals("getflows")) {
			GetFlowsBench.run(millis);
		}
		if (args.length < 2 || args[1].equals("history")) {
			HistoryBench.run(millis);
		}
		System.exit(0);
	}

	static String load() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

}
