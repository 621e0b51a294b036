package io.jcilium.identity.grpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.AllocateResponse;
import io.jcilium.api.identity.v1.HeartbeatRequest;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.LookupByLabelsRequest;
import io.jcilium.api.identity.v1.LookupRequest;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.api.identity.v1.WatchRequest;
import io.jcilium.identity.allocation.IdentityGarbageCollector;
import io.jcilium.testsupport.RedisServer;
import io.jcilium.identity.testsupport.RunningIdentityService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole service over gRPC against a real Redis.
 */
class IdentityGrpcServiceIT {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static RunningIdentityService service;

	@BeforeAll
	static void startService() {
		service = RunningIdentityService.start(redisServer.port());
	}

	@AfterAll
	static void stopService() throws InterruptedException {
		if (service != null) {
			service.close();
		}
	}

	@Test
	void eightClientsOnTwoNodesAllocatingOverlappingLabelSetsNeverSplitOrShareAnIdentity() throws Exception {
		int labelSets = 300;
		ExecutorService clients = Executors.newFixedThreadPool(8);
		Map<String, Integer> idByLabels = new ConcurrentHashMap<>();
		Map<Integer, String> labelsById = new ConcurrentHashMap<>();
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int client = 0; client < 8; client++) {
				int clientNumber = client;
				results.add(clients.submit(() -> {
					Random random = new Random(clientNumber);
					String node = (clientNumber % 2 == 0) ? "node-a" : "node-b";
					for (int i = 0; i < 1250; i++) {
						int set = random.nextInt(labelSets);
						List<String> labels = new ArrayList<>(List.of("k8s:app=app" + set, "k8s:tier=t" + (set % 7),
								"k8s:io.kubernetes.pod.namespace=concurrency"));
						// Clients send labels in any order; the identity must not care.
						Collections.shuffle(labels, random);
						AllocateResponse response = service.blocking()
							.allocate(AllocateRequest.newBuilder().addAllLabels(labels).setNode(node).build());
						String canonical = String.join(",", response.getIdentity().getLabelsList());
						int id = response.getIdentity().getId();
						assertThat(idByLabels.merge(canonical, id, (a, b) -> a)).as("identity of %s", canonical)
							.isEqualTo(id);
						assertThat(labelsById.merge(id, canonical, (a, b) -> a)).as("labels of %d", id)
							.isEqualTo(canonical);
					}
					return 1250;
				}));
			}
			int total = 0;
			for (Future<Integer> result : results) {
				total += result.get(5, TimeUnit.MINUTES);
			}
			assertThat(total).isEqualTo(10_000);
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(idByLabels).hasSize(labelSets);
		assertThat(labelsById).hasSize(labelSets);
		List<Identity> listed = service.blocking().list(ListRequest.getDefaultInstance()).getIdentitiesList();
		idByLabels.forEach((labels, id) -> assertThat(listed)
			.filteredOn((identity) -> String.join(",", identity.getLabelsList()).equals(labels))
			.singleElement()
			.extracting(Identity::getId)
			.isEqualTo(id));
	}

	@Test
	void invalidRequestsGetInvalidArgumentNamingTheProblem() {
		assertStatus(() -> allocate("n1"), Status.Code.INVALID_ARGUMENT, "labels must not be empty");
		assertStatus(() -> allocate("n1", "app=web"), Status.Code.INVALID_ARGUMENT, "'app=web' is malformed");
		assertStatus(() -> allocate("", "k8s:app=web"), Status.Code.INVALID_ARGUMENT, "node must be set");
		assertStatus(() -> service.blocking().lookup(LookupRequest.newBuilder().setId(100).build()),
				Status.Code.INVALID_ARGUMENT, "identity 100 is out of range");
		assertStatus(() -> service.blocking().lookup(LookupRequest.newBuilder().setId(-1).build()),
				Status.Code.INVALID_ARGUMENT, "identity 4294967295 is out of range");
		assertStatus(() -> service.blocking().lookup(LookupRequest.newBuilder().setId(65000).build()),
				Status.Code.NOT_FOUND, "identity 65000 does not exist");
		assertStatus(
				() -> service.blocking()
					.lookupByLabels(LookupByLabelsRequest.newBuilder().addLabels("k8s:app=nobody").build()),
				Status.Code.NOT_FOUND, "no identity has the labels [k8s:app=nobody]");
		assertStatus(() -> service.blocking().release(ReleaseRequest.newBuilder().setId(65001).setNode("n1").build()),
				Status.Code.NOT_FOUND, "identity 65001 does not exist");
	}

	@Test
	void metricsAreExposedForPrometheus() throws Exception {
		allocate("m1", "k8s:app=metered");
		String metrics = service.actuator("/actuator/prometheus");
		assertThat(metrics).contains("jcilium_identity_in_use", "jcilium_identity_allocations_total{",
				"jcilium_identity_releases_total", "jcilium_identity_gc_freed_total",
				"jcilium_identity_allocation_latency_seconds", "jcilium_identity_redis_errors_total",
				"resilience4j_circuitbreaker_state");
	}

	@Test
	void reservedIdentitiesComeFromTheTable() {
		Identity host = allocate("n1", "reserved:host").getIdentity();
		assertThat(host.getId()).isEqualTo(1);
		assertThat(host.getReserved()).isTrue();
		Identity ingress = service.blocking().lookup(LookupRequest.newBuilder().setId(8).build());
		assertThat(ingress.getLabelsList()).containsExactly("reserved:ingress");
		assertThat(
				service.blocking().heartbeat(HeartbeatRequest.newBuilder().setNode("n1").build()).getLeaseTtlSeconds())
			.isEqualTo(60);
	}

	@Test
	void watchSendsSnapshotThenSyncedThenEveryChange() throws Exception {
		int existing = allocate("w1", "k8s:app=watched-before").getIdentity().getId();
		BlockingQueue<IdentityEvent> events = new LinkedBlockingQueue<>();
		Context.CancellableContext watchContext = Context.current().withCancellation();
		try {
			watchContext
				.run(() -> service.async().watch(WatchRequest.newBuilder().setNode("w1").build(), collect(events)));
			List<IdentityEvent> snapshot = new ArrayList<>();
			IdentityEvent event;
			while ((event = events.poll(30, TimeUnit.SECONDS)).getKind() != IdentityEvent.Kind.SYNCED) {
				snapshot.add(event);
			}
			assertThat(snapshot).allMatch((e) -> e.getKind() == IdentityEvent.Kind.UPSERT);
			assertThat(snapshot).extracting((e) -> e.getIdentity().getId()).contains(1, 10, existing);
			int created = allocate("w1", "k8s:app=watched-after").getIdentity().getId();
			IdentityEvent upsert = events.poll(30, TimeUnit.SECONDS);
			assertThat(upsert.getKind()).isEqualTo(IdentityEvent.Kind.UPSERT);
			assertThat(upsert.getIdentity().getId()).isEqualTo(created);
			service.blocking().release(ReleaseRequest.newBuilder().setId(created).setNode("w1").build());
			IdentityGarbageCollector collector = service.bean(IdentityGarbageCollector.class);
			collector.runPass();
			collector.runPass();
			IdentityEvent delete = events.poll(30, TimeUnit.SECONDS);
			assertThat(delete.getKind()).isEqualTo(IdentityEvent.Kind.DELETE);
			assertThat(delete.getIdentity().getLabelsList()).containsExactly("k8s:app=watched-after");
		}
		finally {
			watchContext.cancel(null);
		}
	}

	@Test
	void releaseAndReAllocateDuringGarbageCollectionKeepsTheIdentity() throws Exception {
		IdentityGarbageCollector collector = service.bean(IdentityGarbageCollector.class);
		int id = allocate("g1", "k8s:app=gc-race").getIdentity().getId();
		service.blocking().release(ReleaseRequest.newBuilder().setId(id).setNode("g1").build());
		collector.runPass();
		assertThat(allocate("g2", "k8s:app=gc-race").getIdentity().getId()).isEqualTo(id);
		collector.runPass();
		collector.runPass();
		assertThat(service.blocking().lookup(LookupRequest.newBuilder().setId(id).build()).getLabelsList())
			.containsExactly("k8s:app=gc-race");

		// The same with the collector running flat out while nodes release and
		// re-allocate.
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(3);
		try {
			Future<?> gc = pool.submit(() -> {
				while (running.get()) {
					collector.runPass();
				}
			});
			List<Future<?>> nodes = new ArrayList<>();
			for (String node : List.of("r1", "r2")) {
				nodes.add(pool.submit(() -> {
					for (int i = 0; i < 100; i++) {
						int held = allocate(node, "k8s:app=churn-" + node).getIdentity().getId();
						assertThat(service.blocking()
							.lookup(LookupRequest.newBuilder().setId(held).build())
							.getLabelsList()).containsExactly("k8s:app=churn-" + node);
						service.blocking().release(ReleaseRequest.newBuilder().setId(held).setNode(node).build());
					}
					return null;
				}));
			}
			for (Future<?> node : nodes) {
				node.get(2, TimeUnit.MINUTES);
			}
			running.set(false);
			gc.get(30, TimeUnit.SECONDS);
		}
		finally {
			running.set(false);
			pool.shutdownNow();
		}
	}

	static AllocateResponse allocate(String node, String... labels) {
		return service.blocking()
			.allocate(AllocateRequest.newBuilder().addAllLabels(List.of(labels)).setNode(node).build());
	}

	static void assertStatus(Runnable call, Status.Code code, String message) {
		assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
			assertThat(ex.getStatus().getCode()).isEqualTo(code);
			assertThat(ex.getStatus().getDescription()).contains(message);
		});
	}

	static StreamObserver<IdentityEvent> collect(BlockingQueue<IdentityEvent> events) {
		return new StreamObserver<>() {

			@Override
			public void onNext(IdentityEvent value) {
				events.add(value);
			}

			@Override
			public void onError(Throwable error) {
			}

			@Override
			public void onCompleted() {
			}

		};
	}

}
