package io.jcilium.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Sentinel set-up per test class: a primary, two replicas of it and three
 * {@code redis-server --sentinel} processes with a quorum of two, which promote a replica
 * about a second after the primary stops answering and point the other one at it (so a
 * client that waits for one replica's acknowledgement can still write after a failover).
 */
public final class RedisSentinels implements BeforeAllCallback, AfterAllCallback {

	public static final String MASTER = "jcilium";

	private final List<Integer> sentinels = new ArrayList<>();

	private int primary;

	private final List<Integer> replicas = new ArrayList<>();

	private RedisProcesses processes;

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		this.processes = new RedisProcesses("redis-sentinel");
		List<String> durable = List.of("--appendonly", "yes", "--appendfsync", "always", "--save", "");
		this.primary = RedisProcesses.freePort();
		this.processes.start(this.primary, durable);
		List<String> replicaArguments = new ArrayList<>(durable);
		replicaArguments.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(this.primary)));
		for (int i = 0; i < 2; i++) {
			int replica = RedisProcesses.freePort();
			this.processes.start(replica, replicaArguments);
			RedisProcesses.await(
					() -> RedisProcesses.cli(replica, "INFO", "replication").contains("master_link_status:up"),
					"replica " + replica + " to sync with the primary");
			this.replicas.add(replica);
		}
		for (int i = 0; i < 3; i++) {
			int port = RedisProcesses.freePort();
			String config = "sentinel monitor " + MASTER + " 127.0.0.1 " + this.primary + " 2\n"
					+ "sentinel down-after-milliseconds " + MASTER + " 1000\n" + "sentinel failover-timeout " + MASTER
					+ " 10000\n" + "sentinel parallel-syncs " + MASTER + " 1\n";
			String file = this.processes.file(port, "sentinel.conf", config).toString();
			this.processes.start(port, List.of(file, "--sentinel"));
			this.sentinels.add(port);
		}
		for (int sentinel : this.sentinels) {
			for (int replica : this.replicas) {
				RedisProcesses.await(
						() -> RedisProcesses.cli(sentinel, "SENTINEL", "REPLICAS", MASTER)
							.contains(Integer.toString(replica)),
						"sentinel " + sentinel + " to know replica " + replica);
			}
			// Each known sentinel is listed with its fields one per line, its ip among
			// them.
			RedisProcesses.await(() -> RedisProcesses.cli(sentinel, "SENTINEL", "SENTINELS", MASTER)
				.lines()
				.filter("127.0.0.1"::equals)
				.count() >= 2, "sentinel " + sentinel + " to know the other two sentinels");
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.processes != null) {
			this.processes.close();
		}
	}

	/** {@code 127.0.0.1:s1,...}, as spring.data.redis.sentinel.nodes takes it. */
	public String sentinelNodes() {
		return this.sentinels.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	/** The port of the primary the sentinels name now. */
	public int primaryPort() {
		String[] address = RedisProcesses.cli(this.sentinels.get(0), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER)
			.split("\n");
		return Integer.parseInt(address[address.length - 1].trim());
	}

	/**
	 * Kills the primary with SIGKILL and waits until the sentinels name the replica as
	 * the new primary.
	 * @return the new primary's port
	 */
	public int killPrimaryAndAwaitFailover() throws IOException, InterruptedException {
		int old = primaryPort();
		this.processes.kill(old);
		RedisProcesses.await(() -> {
			try {
				return primaryPort() != old;
			}
			catch (RuntimeException ex) {
				return false;
			}
		}, "the sentinels to promote the replica of " + old);
		int promoted = primaryPort();
		RedisProcesses.await(() -> RedisProcesses.cli(promoted, "ROLE").startsWith("master"),
				"port " + promoted + " to act as primary");
		return promoted;
	}

	/** One redis-cli command against a port, e.g. {@code HLEN} on the new primary. */
	public String cli(int port, String... arguments) {
		return RedisProcesses.cli(port, arguments);
	}

}
