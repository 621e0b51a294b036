package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.ipam.PodIpOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent ADDs share the writes of the allocations file, and still each one returns
 * only once its own change is on disk: a restarted agent (a fresh reader of the file)
 * sees it.
 */
class PersistentPodIpsTest {

	private static final int PODS = 32;

	@TempDir
	Path dir;

	@Test
	void everyConcurrentAllocationIsInTheFileWhenItReturnsAndEveryReleaseIsGoneFromIt() throws Exception {
		Path file = this.dir.resolve("pod-ip-allocations");
		PersistentPodIps ips = new PersistentPodIps("10.70.0.0/24", file);
		ExecutorService threads = Executors.newFixedThreadPool(PODS);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<InetAddress>> results = new ArrayList<>();
			for (int i = 0; i < PODS; i++) {
				PodIpOwner owner = new PodIpOwner("c" + i, "eth0");
				results.add(threads.submit(() -> {
					start.await();
					InetAddress ip = ips.allocate(owner.containerId(), owner.ifName(), null);
					assertThat(reread(file).ownerOf(ip)).as("on disk when allocate returns").contains(owner);
					if (Integer.parseInt(owner.containerId().substring(1)) % 2 == 0) {
						assertThat(ips.release(owner.containerId(), owner.ifName())).contains(ip);
						assertThat(reread(file).ownerOf(ip)).as("gone from disk when release returns")
							.isNotEqualTo(Optional.of(owner));
					}
					return ip;
				}));
			}
			start.countDown();
			Set<InetAddress> kept = new HashSet<>();
			for (int i = 0; i < PODS; i++) {
				InetAddress ip = results.get(i).get(60, TimeUnit.SECONDS);
				if (i % 2 == 1) {
					assertThat(kept.add(ip)).as("no address handed out twice").isTrue();
				}
			}
			assertThat(reread(file).allocations()).hasSize(PODS / 2)
				.allSatisfy((allocation) -> assertThat(kept).contains(allocation.ip()));
			assertThat(reread(file).allocations()).isEqualTo(ips.allocations());
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static PersistentPodIps reread(Path file) {
		return new PersistentPodIps("10.70.0.0/24", file);
	}

}
