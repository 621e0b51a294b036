package io.jcilium.identity.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by the benchmark client itself, the service and Redis. The three
 * share the machine's cores, so a benchmark is only as good as its account of who used
 * them: a heavy client lowers the figure it measures.
 *
 * @param clientNanos this JVM's CPU time
 * @param serviceNanos the service process's CPU time, -1 when unknown
 * @param redisNanos the Redis process's CPU time, -1 when unknown
 */
record CpuTimes(long clientNanos, long serviceNanos, long redisNanos) {

	// /proc/<pid>/stat counts in clock ticks; USER_HZ is 100 on every Linux we run on.
	private static final long NANOS_PER_TICK = 10_000_000L;

	static CpuTimes now(long servicePid, long redisPid) {
		long client = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
		return new CpuTimes(client, processNanos(servicePid), processNanos(redisPid));
	}

	CpuTimes minus(CpuTimes earlier) {
		return new CpuTimes(this.clientNanos - earlier.clientNanos, difference(this.serviceNanos, earlier.serviceNanos),
				difference(this.redisNanos, earlier.redisNanos));
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
	}

	private static long difference(long later, long earlier) {
		return (later < 0 || earlier < 0) ? -1 : later - earlier;
	}

	private static long processNanos(long pid) {
		if (pid <= 0) {
			return -1;
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// The command name may hold spaces; the fields after it are space separated.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

}
