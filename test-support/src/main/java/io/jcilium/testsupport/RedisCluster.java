package io.jcilium.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis Cluster of three primaries (no replicas) per test class, created with
 * {@code redis-cli --cluster create}: each primary serves a third of the 16384 hash
 * slots, and a script whose keys span slots fails with CROSSSLOT.
 */
public final class RedisCluster implements BeforeAllCallback, AfterAllCallback {

	private final List<Integer> ports = new ArrayList<>();

	private RedisProcesses processes;

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		this.processes = new RedisProcesses("redis-cluster");
		for (int i = 0; i < 3; i++) {
			int port = RedisProcesses.freePort();
			this.processes.start(port, List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
					"--cluster-node-timeout", "5000", "--appendonly", "yes", "--save", ""));
			this.ports.add(port);
		}
		List<String> create = new ArrayList<>(List.of("--cluster", "create"));
		this.ports.forEach((port) -> create.add("127.0.0.1:" + port));
		create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		String created = RedisProcesses.cli(this.ports.get(0), create.toArray(String[]::new));
		if (!created.contains("All 16384 slots covered")) {
			throw new IllegalStateException("redis-cli --cluster create failed: " + created);
		}
		for (int port : this.ports) {
			RedisProcesses.await(() -> RedisProcesses.cli(port, "CLUSTER", "INFO").contains("cluster_state:ok"),
					"cluster state ok on port " + port);
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.processes != null) {
			this.processes.close();
		}
	}

	/** The primaries' ports. */
	public List<Integer> ports() {
		return List.copyOf(this.ports);
	}

	/**
	 * {@code 127.0.0.1:p1,127.0.0.1:p2,...}, as spring.data.redis.cluster.nodes takes it.
	 */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	/** The hash slot of a key, as the cluster computes it. */
	public int slot(String key) {
		return Integer.parseInt(RedisProcesses.cli(this.ports.get(0), "CLUSTER", "KEYSLOT", key));
	}

	/** Keys stored on each primary (DBSIZE), in port order. */
	public List<Long> keysPerPrimary() {
		return this.ports.stream().map((port) -> Long.parseLong(RedisProcesses.cli(port, "DBSIZE"))).toList();
	}

	/** Every key of the whole cluster, in no order (KEYS on each primary). */
	public List<String> keys() {
		List<String> keys = new ArrayList<>();
		for (int port : this.ports) {
			String listed = RedisProcesses.cli(port, "--raw", "KEYS", "*");
			if (!listed.isEmpty()) {
				keys.addAll(List.of(listed.split("\n")));
			}
		}
		return keys;
	}

}
