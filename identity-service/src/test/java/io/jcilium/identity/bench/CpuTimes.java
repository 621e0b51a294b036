package io.jcilium.identity.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used so far by the benchmark client itself, the service and Redis. The three
 * share the machine's cores, so a benchmark is only as good as its account of who used
 * them: a heavy client lowers the figure it measures.
 *
 * @param clientNanos this JVM's CPU time
 * @param serviceNanos the service process's CPU time, -1 when unknown
 * @param redisNanos the Redis process's CPU time, -1 when unknown
 * @param clientJitNanos the CPU time of this JVM's JIT compiler threads
 * @param serviceJitNanos the CPU time of the service's JIT compiler threads, -1 when
 * unknown
 */
record CpuTimes(long clientNanos, long serviceNanos, long redisNanos, long clientJitNanos, long serviceJitNanos) {

	// /proc/<pid>/stat counts in clock ticks; USER_HZ is 100 on every Linux we run on.
	private static final long NANOS_PER_TICK = 10_000_000L;

	static CpuTimes now(long servicePid, long redisPid) {
		long client = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
		return new CpuTimes(client, processNanos(servicePid), processNanos(redisPid),
				jitNanos(ProcessHandle.current().pid()), jitNanos(servicePid));
	}

	CpuTimes minus(CpuTimes earlier) {
		return new CpuTimes(this.clientNanos - earlier.clientNanos, difference(this.serviceNanos, earlier.serviceNanos),
				difference(this.redisNanos, earlier.redisNanos), this.clientJitNanos - earlier.clientJitNanos,
				difference(this.serviceJitNanos, earlier.serviceJitNanos));
	}

	/** The share of the client's and the service's CPU time spent compiling. */
	double jitShare() {
		long total = this.clientNanos + Math.max(0, this.serviceNanos);
		long jit = this.clientJitNanos + Math.max(0, this.serviceJitNanos);
		return (total > 0) ? (double) jit / total : 0;
	}

	/** Prints the CPU microseconds per call of each process. */
	void print(String phase, int calls) {
		System.out.printf("%s_client_cpu_us_per_call=%.1f%n", phase, this.clientNanos / 1e3 / calls);
		if (this.serviceNanos >= 0) {
			System.out.printf("%s_service_cpu_us_per_call=%.1f%n", phase, this.serviceNanos / 1e3 / calls);
		}
		if (this.redisNanos >= 0) {
			System.out.printf("%s_redis_cpu_us_per_call=%.1f%n", phase, this.redisNanos / 1e3 / calls);
		}
		// The part of the JVMs' time still spent compiling: a warm-up that left much of
		// it
		// measures the JIT, not the path.
		System.out.printf("%s_client_jit_cpu_us_per_call=%.1f%n", phase, this.clientJitNanos / 1e3 / calls);
		if (this.serviceJitNanos >= 0) {
			System.out.printf("%s_service_jit_cpu_us_per_call=%.1f%n", phase, this.serviceJitNanos / 1e3 / calls);
		}
	}

	private static long difference(long later, long earlier) {
		return (later < 0 || earlier < 0) ? -1 : later - earlier;
	}

	private static long processNanos(long pid) {
		if (pid <= 0) {
			return -1;
		}
		try {
			return statNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * CPU time of the process's JIT compiler threads (HotSpot names them C1/C2
	 * CompilerThreadN).
	 */
	private static long jitNanos(long pid) {
		if (pid <= 0) {
			return -1;
		}
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			long sum = 0;
			for (Path task : tasks.toList()) {
				String stat = readOrEmpty(task.resolve("stat"));
				if (stat.contains("CompilerThre")) {
					sum += statNanos(stat);
				}
			}
			return sum;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static String readOrEmpty(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			// The thread ended meanwhile.
			return "";
		}
	}

	private static long statNanos(String stat) {
		// The command name may hold spaces; the fields after it are space separated.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
		return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
	}

}
