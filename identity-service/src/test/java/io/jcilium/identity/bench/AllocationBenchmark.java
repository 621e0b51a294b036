package io.jcilium.identity.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.AllocateResponse;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.LookupRequest;

/**
 * Measures new-identity allocations over gRPC: {@code clients} concurrent clients sharing
 * {@code connections} channels, each with one call in flight, every measured call a label
 * set never seen before. Run by {@code bench/identity/run.sh}, which starts Redis and the
 * service.
 * <p>
 * Arguments: host port clients warmupCalls measuredCount [connections, default one per
 * client] [service pid] [Redis pid]. Prints {@code key=value} lines, with the CPU time
 * each process spent per call when the pids are given.
 */
public final class AllocationBenchmark {

	private static final int WARMUP_NEW_LABEL_SETS = 5000;

	private static final int EXTRA_WARMUP_CALLS = 20_000;

	private static final int MAX_EXTRA_WARMUP_ROUNDS = 15;

	/**
	 * New label sets per extra round: at most 15 x 500 more, which with 5000 + 50000
	 * still fits the default range of 65280 identities.
	 */
	private static final int EXTRA_WARMUP_NEW = 500;

	/** JIT compiling below this share of the client's and service's CPU: warm enough. */
	private static final double JIT_SHARE_SETTLED = 0.05;

	private AllocationBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		int clients = Integer.parseInt(args[2]);
		int warmup = Integer.parseInt(args[3]);
		int measured = Integer.parseInt(args[4]);
		int connections = (args.length > 5) ? Integer.parseInt(args[5]) : clients;
		// Optional process ids of the service and of Redis, to report where the CPU went.
		long servicePid = (args.length > 6) ? Long.parseLong(args[6]) : -1;
		long redisPid = (args.length > 7) ? Long.parseLong(args[7]) : -1;
		List<ManagedChannel> connectionList = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			// Callbacks on the transport's own thread: the next call goes out without a
			// hand-off
			// to another thread, so the client takes less of the cores it shares with the
			// service.
			connectionList.add(ManagedChannelBuilder.forAddress(host, port).usePlaintext().directExecutor().build());
		}
		// Clients share the connections round robin (HTTP/2 multiplexes their calls).
		List<ManagedChannel> channels = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			channels.add(connectionList.get(i % connections));
		}
		try {
			// A run id keeps label sets new when the same Redis is benchmarked twice.
			String run = Long.toString(System.currentTimeMillis(), 36);
			// Warm-up: a few new label sets, then the same ones again and again, so that
			// both JVMs compile the whole path before the measurement without using up
			// the range.
			int distinct = Math.min(warmup, WARMUP_NEW_LABEL_SETS);
			run(channels, run + "-warmup", warmup, distinct, null);
			// On a busy 2-core machine the JIT compilers can lag far behind: then the
			// measurement would time the compilers, not the path. More rounds (of the
			// same label sets) until they are nearly done.
			int warmupCalls = warmup;
			double jitShare = 1;
			for (int round = 0; round < MAX_EXTRA_WARMUP_ROUNDS && jitShare > JIT_SHARE_SETTLED; round++) {
				CpuTimes before = CpuTimes.now(servicePid, redisPid);
				// A few new label sets each round too, so the compilers see the path of a
				// new identity as often as the measurement will (else it would deoptimise
				// and compile again in the measured window).
				run(channels, run + "-warmup-" + round, EXTRA_WARMUP_NEW, EXTRA_WARMUP_NEW, null);
				run(channels, run + "-warmup", EXTRA_WARMUP_CALLS - EXTRA_WARMUP_NEW, distinct, null);
				warmupCalls += EXTRA_WARMUP_CALLS;
				jitShare = CpuTimes.now(servicePid, redisPid).minus(before).jitShare();
			}
			System.out.printf("warmup_calls=%d%n", warmupCalls);
			System.out.printf("warmup_last_round_jit_share=%.2f%n", jitShare);
			long[] latencies = new long[measured];
			CpuTimes cpuBefore = CpuTimes.now(servicePid, redisPid);
			long started = System.nanoTime();
			run(channels, run + "-measured", measured, measured, latencies);
			double seconds = (System.nanoTime() - started) / 1e9;
			CpuTimes cpu = CpuTimes.now(servicePid, redisPid).minus(cpuBefore);
			Arrays.sort(latencies);
			System.out.printf("allocations=%d%n", measured);
			System.out.printf("clients=%d%n", clients);
			System.out.printf("seconds=%.3f%n", seconds);
			System.out.printf("allocs_per_second=%.0f%n", measured / seconds);
			System.out.printf("p50_ms=%.3f%n", latencies[(int) (measured * 0.50)] / 1e6);
			System.out.printf("p99_ms=%.3f%n", latencies[(int) (measured * 0.99)] / 1e6);
			cpu.print("alloc", measured);
			// The gRPC stack alone: lookups of a reserved identity never touch Redis.
			CpuTimes lookupCpuBefore = CpuTimes.now(servicePid, redisPid);
			long lookupsStarted = System.nanoTime();
			lookups(channels, measured);
			System.out.printf("grpc_only_lookups_per_second=%.0f%n",
					measured / ((System.nanoTime() - lookupsStarted) / 1e9));
			CpuTimes.now(servicePid, redisPid).minus(lookupCpuBefore).print("lookup", measured);
		}
		finally {
			for (ManagedChannel channel : connectionList) {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
	}

	private static void lookups(List<ManagedChannel> channels, int count) throws InterruptedException {
		AtomicInteger issued = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(channels.size());
		for (ManagedChannel channel : channels) {
			IdentityServiceGrpc.IdentityServiceStub stub = IdentityServiceGrpc.newStub(channel);
			StreamObserver<Identity> observer = new StreamObserver<>() {

				@Override
				public void onNext(Identity identity) {
				}

				@Override
				public void onError(Throwable error) {
					done.countDown();
				}

				@Override
				public void onCompleted() {
					if (issued.getAndIncrement() < count) {
						stub.lookup(LookupRequest.newBuilder().setId(1).build(), this);
					}
					else {
						done.countDown();
					}
				}

			};
			observer.onCompleted();
		}
		done.await(10, TimeUnit.MINUTES);
	}

	/**
	 * Sends {@code count} allocations, of {@code distinct} label sets (call i allocates
	 * set i modulo distinct); with latencies, every call must create its identity.
	 */
	private static void run(List<ManagedChannel> channels, String phase, int count, int distinct, long[] latencies)
			throws InterruptedException {
		AtomicInteger issued = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(channels.size());
		AtomicReference<Throwable> failure = new AtomicReference<>();
		for (int client = 0; client < channels.size(); client++) {
			String node = "bench-node-" + (client % 10);
			// Each client calls as the node it allocates for, as an agent does.
			Client worker = new Client(
					IdentityServiceGrpc.newStub(channels.get(client))
						.withInterceptors(CallerHeader.declaring(Caller.node(node))),
					node, phase, count, distinct, issued, latencies, done, failure);
			worker.next();
		}
		if (!done.await(10, TimeUnit.MINUTES)) {
			throw new IllegalStateException(phase + " did not finish in 10 minutes");
		}
		if (failure.get() != null) {
			throw new IllegalStateException(phase + " failed", failure.get());
		}
	}

	/** One client: one call in flight, the next sent when the previous answers. */
	private static final class Client implements StreamObserver<AllocateResponse> {

		private final IdentityServiceGrpc.IdentityServiceStub stub;

		private final String node;

		private final String phase;

		private final int count;

		private final int distinct;

		private final AtomicInteger issued;

		private final long[] latencies;

		private final CountDownLatch done;

		private final AtomicReference<Throwable> failure;

		private int current;

		private long sentNanos;

		Client(IdentityServiceGrpc.IdentityServiceStub stub, String node, String phase, int count, int distinct,
				AtomicInteger issued, long[] latencies, CountDownLatch done, AtomicReference<Throwable> failure) {
			this.stub = stub;
			this.node = node;
			this.phase = phase;
			this.count = count;
			this.distinct = distinct;
			this.issued = issued;
			this.latencies = latencies;
			this.done = done;
			this.failure = failure;
		}

		void next() {
			this.current = this.issued.getAndIncrement();
			if (this.current >= this.count || this.failure.get() != null) {
				this.done.countDown();
				return;
			}
			AllocateRequest request = AllocateRequest.newBuilder()
				.addLabels("k8s:app=" + this.phase + "-" + (this.current % this.distinct))
				.addLabels("k8s:io.kubernetes.pod.namespace=bench")
				.setNode(this.node)
				.build();
			this.sentNanos = System.nanoTime();
			this.stub.withDeadlineAfter(30, TimeUnit.SECONDS).allocate(request, this);
		}

		@Override
		public void onNext(AllocateResponse response) {
			if (this.latencies != null && !response.getCreated()) {
				this.failure.compareAndSet(null, new IllegalStateException("labels of call " + this.current
						+ " were not new: identity " + response.getIdentity().getId()));
			}
			if (this.latencies != null) {
				this.latencies[this.current] = System.nanoTime() - this.sentNanos;
			}
		}

		@Override
		public void onError(Throwable error) {
			this.failure.compareAndSet(null, error);
			this.done.countDown();
		}

		@Override
		public void onCompleted() {
			next();
		}

	}

}
