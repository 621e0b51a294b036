package io.jcilium.agent.cni;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CNI ADD latency as a runtime sees it: from exec of the plugin to its exit, which is
 * when the endpoint is ready, for pods added one after another. Also the plugin's own
 * start cost (VERSION, answered without the agent), and pods added all at once. Small by
 * default so the build stays light; {@code -Djcilium.cni.latency.pods=100} for the
 * benchmark size. The figures are printed, never asserted (a loaded CI machine is no
 * measure); issue 8's floor is checked by {@code bench/endpoints/cni-add.sh}.
 */
class CniAddLatencyIT {

	@TempDir
	Path dir;

	private AgentFixture fixture;

	@BeforeEach
	void startAgent() {
		Privileges.requireRootAnd("ip", "nsenter", "curl");
		this.fixture = new AgentFixture(this.dir);
	}

	@AfterEach
	void cleanUp() throws Exception {
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	@Test
	void sequentialAddsAndDeletesSucceedAndReportTheirLatency() throws Exception {
		int pods = Integer.getInteger("jcilium.cni.latency.pods", 20);
		List<String> namespaces = new ArrayList<>();
		for (int i = 0; i < pods; i++) {
			namespaces.add(this.fixture.newNamespace("lat" + i));
		}
		warmUp();

		List<Long> addMicros = new ArrayList<>();
		List<Long> delMicros = new ArrayList<>();
		List<String> containers = new ArrayList<>();
		for (String netns : namespaces) {
			String container = this.fixture.newContainer();
			containers.add(container);
			long start = System.nanoTime();
			Commands.Result add = this.fixture.plugin("ADD", container, netns, "1.0.0");
			addMicros.add((System.nanoTime() - start) / 1000);
			assertThat(add.exitCode()).as(add.output()).isZero();
		}
		for (int i = 0; i < containers.size(); i++) {
			long start = System.nanoTime();
			assertThat(this.fixture.plugin("DEL", containers.get(i), namespaces.get(i), "1.0.0").exitCode()).isZero();
			delMicros.add((System.nanoTime() - start) / 1000);
		}
		List<Long> versionMicros = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			long start = System.nanoTime();
			Commands.run(List.of(AgentFixture.pluginPath().toString()), "", Map.of("CNI_COMMAND", "VERSION"));
			versionMicros.add((System.nanoTime() - start) / 1000);
		}
		System.out.printf("CNI latency, %d sequential pods: ADD %s; DEL %s; plugin start (VERSION) %s%n", pods,
				summary(addMicros), summary(delMicros), summary(versionMicros));
	}

	@Test
	void concurrentAddsAllBecomeReadyWithDistinctAddresses() throws Exception {
		int pods = Integer.getInteger("jcilium.cni.concurrent.pods", 20);
		List<String> namespaces = new ArrayList<>();
		List<String> containers = new ArrayList<>();
		for (int i = 0; i < pods; i++) {
			namespaces.add(this.fixture.newNamespace("con" + i));
			containers.add(this.fixture.newContainer());
		}
		warmUp();
		ExecutorService runtime = Executors.newFixedThreadPool(pods);
		try {
			List<Future<long[]>> calls = new ArrayList<>();
			for (int i = 0; i < pods; i++) {
				String netns = namespaces.get(i);
				String container = containers.get(i);
				calls.add(runtime.submit(() -> {
					long start = System.nanoTime();
					Commands.Result add = this.fixture.plugin("ADD", container, netns, "1.0.0");
					assertThat(add.exitCode()).as(add.output()).isZero();
					String address = Json.MAPPER.readTree(add.output()).path("ips").get(0).path("address").asText();
					return new long[] { (System.nanoTime() - start) / 1000, address.hashCode() };
				}));
			}
			List<Long> addMicros = new ArrayList<>();
			Set<Long> addresses = new HashSet<>();
			for (Future<long[]> call : calls) {
				long[] outcome = call.get(60, TimeUnit.SECONDS);
				addMicros.add(outcome[0]);
				addresses.add(outcome[1]);
			}
			assertThat(addresses).as("distinct pod addresses").hasSize(pods);
			System.out.printf("CNI latency, %d pods at once: ADD %s%n", pods, summary(addMicros));
		}
		finally {
			runtime.shutdownNow();
		}
		for (int i = 0; i < pods; i++) {
			assertThat(this.fixture.plugin("DEL", containers.get(i), namespaces.get(i), "1.0.0").exitCode()).isZero();
		}
	}

	/** One pod first: the first request pays class loading and JIT in the agent. */
	private void warmUp() throws Exception {
		String netns = this.fixture.newNamespace("warm");
		assertThat(this.fixture.plugin("ADD", this.fixture.newContainer(), netns, "1.0.0").exitCode()).isZero();
	}

	private static String summary(List<Long> micros) {
		return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", percentile(micros, 50) / 1000.0,
				percentile(micros, 99) / 1000.0, Collections.max(micros) / 1000.0);
	}

	/** Nearest-rank percentile. */
	private static long percentile(List<Long> values, int percent) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
		return sorted.get(Math.max(0, rank - 1));
	}

}
