package io.jcilium.identity.redis;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.HeartbeatRequest;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.api.identity.v1.LookupRequest;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.api.identity.v1.WatchRequest;
import io.jcilium.identity.testsupport.RunningIdentityService;
import io.jcilium.testsupport.RedisCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two identity-service replicas on a real Redis Cluster of three primaries, which refuses
 * (CROSSSLOT) any script whose keys lie in different hash slots. Allocation, release, the
 * change feed between replicas, lease expiry and garbage collection all run their scripts
 * there, and every key they leave shares the one hash tag of the key prefix.
 */
class IdentityOnRedisClusterIT {

	@RegisterExtension
	static final RedisCluster cluster = new RedisCluster();

	@Test
	void everyScriptRunsOnAThreePrimaryClusterWithItsKeysInOneSlot() throws Exception {
		String[] settings = { "spring.data.redis.cluster.nodes=" + cluster.nodes(),
				"jcilium.identity.allocation.gc-interval=1s", "jcilium.identity.allocation.lease-ttl=5s" };
		try (RunningIdentityService first = RunningIdentityService.start(cluster.ports().get(0), settings);
				RunningIdentityService second = RunningIdentityService.start(cluster.ports().get(1), settings)) {
			BlockingQueue<IdentityEvent> seenBySecond = watch(second);

			Map<Long, String> labelsById = new HashMap<>();
			for (int i = 0; i < 40; i++) {
				RunningIdentityService service = (i % 2 == 0) ? first : second;
				// The nodes keep their leases while the test allocates; only n9 lets its
				// own lapse.
				for (int node = 0; node < 3; node++) {
					service.blocking().heartbeat(HeartbeatRequest.newBuilder().setNode("n" + node).build());
				}
				String label = "k8s:app=cluster-" + i;
				long id = allocate(service, label, "n" + (i % 3)).getIdentity().getId();
				assertThat(labelsById.put(id, label)).as("number %d handed out twice", id).isNull();
				// The other replica answers the same number for the same labels.
				RunningIdentityService other = (service == first) ? second : first;
				assertThat(allocate(other, label, "n" + (i % 3)).getIdentity().getId()).isEqualTo(id);
			}

			// first's allocations reach second's Watch through the change feed (PUBLISH
			// on a cluster reaches every node).
			Set<Long> upserted = new HashSet<>();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (!upserted.containsAll(labelsById.keySet()) && System.nanoTime() < deadline) {
				IdentityEvent event = seenBySecond.poll(1, TimeUnit.SECONDS);
				if (event != null && event.getKind() == IdentityEvent.Kind.UPSERT) {
					upserted.add((long) event.getIdentity().getId());
				}
			}
			assertThat(upserted).containsAll(labelsById.keySet());

			// Release, then lease expiry and two-pass garbage collection free a number
			// nobody refers to any more (n9 never renews its lease). Numbers freed here
			// may be handed out again, which is why this comes after the loop above.
			long released = allocate(first, "k8s:app=cluster-released", "n9").getIdentity().getId();
			assertThat(first.blocking()
				.release(ReleaseRequest.newBuilder().setId((int) released).setNode("n9").build())
				.getReleased()).isTrue();
			long expired = allocate(second, "k8s:app=cluster-expired", "n9").getIdentity().getId();
			awaitFreed(first, released);
			awaitFreed(first, expired);

			List<String> keys = cluster.keys();
			int slot = cluster.slot("{jcilium:identity}");
			assertThat(keys).isNotEmpty().allSatisfy((key) -> assertThat(cluster.slot(key)).as(key).isEqualTo(slot));
			assertThat(cluster.keysPerPrimary()).filteredOn((count) -> count > 0).hasSize(1);
		}
	}

	private static io.jcilium.api.identity.v1.AllocateResponse allocate(RunningIdentityService service, String label,
			String node) {
		return service.blocking().allocate(AllocateRequest.newBuilder().addLabels(label).setNode(node).build());
	}

	private static void awaitFreed(RunningIdentityService service, long id) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (System.nanoTime() < deadline) {
			try {
				service.blocking().lookup(LookupRequest.newBuilder().setId((int) id).build());
			}
			catch (StatusRuntimeException ex) {
				if (ex.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
					return;
				}
				throw ex;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("identity " + id + " was not freed within 90 s");
	}

	private static BlockingQueue<IdentityEvent> watch(RunningIdentityService service) {
		BlockingQueue<IdentityEvent> events = new LinkedBlockingQueue<>();
		service.async().watch(WatchRequest.newBuilder().setNode("watcher").build(), new StreamObserver<>() {

			@Override
			public void onNext(IdentityEvent event) {
				events.add(event);
			}

			@Override
			public void onError(Throwable error) {
			}

			@Override
			public void onCompleted() {
			}

		});
		return events;
	}

}
