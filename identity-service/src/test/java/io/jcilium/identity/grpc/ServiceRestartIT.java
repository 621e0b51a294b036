package io.jcilium.identity.grpc;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.AllocateResponse;
import io.jcilium.api.identity.v1.HeartbeatRequest;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.LookupByLabelsRequest;
import io.jcilium.api.identity.v1.WatchRequest;
import io.jcilium.identity.allocation.IdentityGarbageCollector;
import io.jcilium.testsupport.RedisServer;
import io.jcilium.identity.testsupport.RunningIdentityService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identities outlive the service (they are in Redis); references outlive it only as long
 * as their node's lease.
 */
class ServiceRestartIT {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	@Test
	void restartKeepsEveryIdentityAndExpiredLeasesFreeTheirReferences() throws Exception {
		String lease = "jcilium.identity.allocation.lease-ttl=2s";
		Map<String, Integer> ids = new HashMap<>();
		AtomicReference<Status> watchEnd = new AtomicReference<>();
		CountDownLatch watchEnded = new CountDownLatch(1);
		ManagedChannel watchChannel;
		try (RunningIdentityService first = RunningIdentityService.start(redisServer.port(), lease)) {
			for (int i = 0; i < 100; i++) {
				String label = "k8s:app=restart-" + i;
				ids.put(label, allocate(first, label, (i % 2 == 0) ? "n1" : "n2").getIdentity().getId());
			}
			watchChannel = ManagedChannelBuilder.forAddress("127.0.0.1", first.grpcPort()).usePlaintext().build();
			IdentityServiceGrpc.newStub(watchChannel)
				.watch(WatchRequest.newBuilder().setNode("n1").build(), new StreamObserver<>() {

					@Override
					public void onNext(IdentityEvent value) {
					}

					@Override
					public void onError(Throwable error) {
						watchEnd.set(Status.fromThrowable(error));
						watchEnded.countDown();
					}

					@Override
					public void onCompleted() {
						watchEnded.countDown();
					}

				});
			Thread.sleep(500);
		}
		// Shutting down ends Watch streams with UNAVAILABLE, so agents go elsewhere at
		// once.
		assertThat(watchEnded.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(watchEnd.get().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(watchEnd.get().getDescription()).contains("shutting down");
		watchChannel.shutdownNow();
		try (RunningIdentityService second = RunningIdentityService.start(redisServer.port(), lease)) {
			ids.forEach((label,
					id) -> assertThat(second.blocking()
						.lookupByLabels(LookupByLabelsRequest.newBuilder().addLabels(label).build())
						.getId()).isEqualTo(id));
			assertThat(second.blocking().list(ListRequest.getDefaultInstance()).getIdentitiesCount())
				.isEqualTo(10 + ids.size());
			// Node n3 takes over the first ten; n1 and n2 never come back.
			for (int i = 0; i < 10; i++) {
				AllocateResponse again = allocate(second, "k8s:app=restart-" + i, "n3");
				assertThat(again.getCreated()).isFalse();
				assertThat(again.getIdentity().getId()).isEqualTo(ids.get("k8s:app=restart-" + i));
			}
			for (int i = 0; i < 5; i++) {
				Thread.sleep(600);
				second.blocking().heartbeat(HeartbeatRequest.newBuilder().setNode("n3").build());
			}
			IdentityGarbageCollector collector = second.bean(IdentityGarbageCollector.class);
			IdentityGarbageCollector.Pass first = collector.runPass();
			assertThat(first.referencesExpired()).isEqualTo(100);
			assertThat(first.freed()).isZero();
			assertThat(first.marked()).isEqualTo(90);
			assertThat(collector.runPass().freed()).isEqualTo(90);
			assertThat(second.blocking().list(ListRequest.getDefaultInstance()).getIdentitiesList())
				.extracting((identity) -> identity.getLabels(0))
				.filteredOn((label) -> label.startsWith("k8s:app=restart-"))
				.containsExactlyInAnyOrder("k8s:app=restart-0", "k8s:app=restart-1", "k8s:app=restart-2",
						"k8s:app=restart-3", "k8s:app=restart-4", "k8s:app=restart-5", "k8s:app=restart-6",
						"k8s:app=restart-7", "k8s:app=restart-8", "k8s:app=restart-9");
		}
	}

	private static AllocateResponse allocate(RunningIdentityService service, String label, String node) {
		return service.blocking().allocate(AllocateRequest.newBuilder().addLabels(label).setNode(node).build());
	}

}
