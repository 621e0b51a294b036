package io.jcilium.identity.grpc;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.api.identity.v1.LookupByLabelsRequest;
import io.jcilium.api.identity.v1.LookupRequest;
import io.jcilium.api.identity.v1.WatchRequest;
import io.jcilium.identity.allocation.IdentityStore;
import io.jcilium.identity.allocation.IdentityStore.StoredIdentity;
import io.jcilium.testsupport.RedisServer;
import io.jcilium.identity.testsupport.RunningIdentityService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis killed (SIGKILL) in the middle of a run of allocations and started again: the
 * service degrades as promised and recovers without a restart, losing and duplicating
 * nothing.
 */
class RedisOutageIT {

	/**
	 * How long any wait may last before the test calls it stuck. Only a bound on a hang:
	 * on a loaded 2-core machine each step can take tens of seconds, and nothing here
	 * claims a speed.
	 */
	private static final Duration STUCK = Duration.ofMinutes(3);

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	@Test
	void redisKilledMidRunAndRestarted() throws Exception {
		try (RunningIdentityService service = RunningIdentityService.start(redisServer.port(),
				"jcilium.identity.redis.circuit-breaker.wait-in-open=1s")) {
			Map<Integer, String> known = new HashMap<>();
			for (int i = 0; i < 20; i++) {
				known.put(allocate(service, "k8s:app=before-" + i), "k8s:app=before-" + i);
			}
			BlockingQueue<IdentityEvent> events = new LinkedBlockingQueue<>();
			AtomicBoolean watchEnded = new AtomicBoolean();
			Context.CancellableContext watch = Context.current().withCancellation();
			watch.run(() -> service.async()
				.watch(WatchRequest.newBuilder().setNode("watcher").build(), observer(events, watchEnded)));
			awaitEvent(events, IdentityEvent.Kind.SYNCED, null);

			Map<String, Integer> allocated = new ConcurrentHashMap<>();
			AtomicInteger unavailable = new AtomicInteger();
			AtomicBoolean running = new AtomicBoolean(true);
			ExecutorService clients = Executors.newFixedThreadPool(4);
			List<Future<?>> runs = new ArrayList<>();
			for (int client = 0; client < 4; client++) {
				int clientNumber = client;
				runs.add(clients.submit(() -> {
					int i = 0;
					while (running.get()) {
						String label = "k8s:app=run-" + clientNumber + "-" + i;
						try {
							allocated.put(label, allocate(service, label));
							i++;
						}
						catch (StatusRuntimeException ex) {
							// Only UNAVAILABLE is acceptable; retry the same labels.
							assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
							unavailable.incrementAndGet();
							Thread.sleep(20);
						}
					}
					return null;
				}));
			}
			try {
				// The clients are mid-run when Redis dies: each has allocated already.
				awaitTrue(() -> allocated.size() >= 20, STUCK);
				redisServer.kill();
				awaitTrue(() -> unavailable.get() > 0, STUCK);

				// Allocate fails fast, with a message saying why: the service answers
				// UNAVAILABLE itself (a call waiting on Redis would end
				// DEADLINE_EXCEEDED instead).
				for (int i = 0; i < 10; i++) {
					StatusRuntimeException failure = failure(service, "k8s:app=during-outage");
					assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
					assertThat(failure.getStatus().getDescription()).contains("Redis is unavailable");
				}
				// Known identities are served from the cache.
				known.forEach((id,
						label) -> assertThat(
								service.blocking().lookup(LookupRequest.newBuilder().setId(id).build()).getLabelsList())
							.containsExactly(label));
				assertThat(service.actuator("/actuator/health/redis")).contains("\"status\":\"DOWN\"");
				assertThat(watchEnded).isFalse();

				redisServer.start();
				awaitTrue(() -> {
					try {
						allocate(service, "k8s:app=after-outage");
						return true;
					}
					catch (StatusRuntimeException ex) {
						return false;
					}
				}, STUCK);
				// Health has a Redis connection of its own (the reactive one), which
				// reconnects on its own schedule: it turns UP soon after, not with the
				// first allocation.
				awaitTrue(() -> actuator(service, "/actuator/health/redis").contains("\"status\":\"UP\""), STUCK);
				// The clients that kept retrying get through again too.
				int beforeRecovery = allocated.size();
				awaitTrue(() -> allocated.size() >= beforeRecovery + 20, STUCK);
			}
			finally {
				running.set(false);
				for (Future<?> run : runs) {
					run.get(STUCK.toSeconds(), TimeUnit.SECONDS);
				}
				clients.shutdownNow();
			}

			// The Watch stream lived through it and still follows changes, also those
			// another replica makes (written here straight into the store).
			IdentityStore store = service.bean(IdentityStore.class);
			int other = store.allocate("k8s:app=other-replica", "n9",
					service.bean(io.jcilium.identity.allocation.IdentityAllocator.class).range(), Duration.ofMinutes(1))
				.identity()
				.id();
			awaitEvent(events, IdentityEvent.Kind.UPSERT, other);
			assertThat(watchEnded).isFalse();
			watch.cancel(null);

			// Nothing lost, nothing duplicated.
			assertThat(unavailable.get()).isPositive();
			assertThat(allocated).isNotEmpty();
			List<StoredIdentity> stored = store.snapshot().identities();
			assertThat(stored).extracting(StoredIdentity::labelsKey).doesNotHaveDuplicates();
			Map<String, Integer> storedByLabels = new HashMap<>();
			stored.forEach((identity) -> storedByLabels.put(identity.labelsKey(), identity.id()));
			known.forEach((id, label) -> assertThat(storedByLabels).containsEntry(label, id));
			allocated.forEach((label, id) -> {
				assertThat(storedByLabels).containsEntry(label, id);
				assertThat(service.blocking()
					.lookupByLabels(LookupByLabelsRequest.newBuilder().addLabels(label).build())
					.getId()).isEqualTo(id);
			});
			assertThat(new HashSet<>(storedByLabels.values())).hasSize(stored.size());
		}
	}

	private static int allocate(RunningIdentityService service, String label) {
		return service.blocking()
			.allocate(AllocateRequest.newBuilder().addLabels(label).setNode("node-" + (label.hashCode() & 1)).build())
			.getIdentity()
			.getId();
	}

	private static StatusRuntimeException failure(RunningIdentityService service, String label) {
		try {
			allocate(service, label);
		}
		catch (StatusRuntimeException ex) {
			return ex;
		}
		throw new AssertionError("allocate succeeded while Redis is down");
	}

	private static void awaitEvent(BlockingQueue<IdentityEvent> events, IdentityEvent.Kind kind, Integer id)
			throws InterruptedException {
		long deadline = System.nanoTime() + STUCK.toNanos();
		while (System.nanoTime() < deadline) {
			IdentityEvent event = events.poll(1, TimeUnit.SECONDS);
			if (event != null && event.getKind() == kind && (id == null || event.getIdentity().getId() == id)) {
				return;
			}
		}
		throw new AssertionError("no " + kind + " event" + ((id != null) ? " for " + id : "") + " within " + STUCK);
	}

	private static String actuator(RunningIdentityService service, String path) {
		try {
			return service.actuator(path);
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("condition not met within " + timeout);
			}
			Thread.sleep(100);
		}
	}

	private static StreamObserver<IdentityEvent> observer(BlockingQueue<IdentityEvent> events, AtomicBoolean ended) {
		return new StreamObserver<>() {

			@Override
			public void onNext(IdentityEvent value) {
				events.add(value);
			}

			@Override
			public void onError(Throwable error) {
				ended.set(true);
			}

			@Override
			public void onCompleted() {
				ended.set(true);
			}

		};
	}

}
