package io.jcilium.agent.hubble;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.agent.hubble.metrics.FlowMetrics;
import io.jcilium.agent.hubble.ring.RingEvent;
import io.jcilium.agent.hubble.ring.RingReader;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;

/**
 * {@code GetFlows} over a real gRPC connection (Netty on loopback): a client reads a full
 * ring of 65,535 flows again and again. The baseline, in the same run, is a plain gRPC
 * stream of the same responses built in advance and sent as fast as flow control allows:
 * the ratio is what the observer's own work costs.
 */
final class GetFlowsBench {

	private static final int FLOWS = 65_535;

	private static final GetFlowsRequest ALL = GetFlowsRequest.getDefaultInstance();

	private GetFlowsBench() {
	}

	static void run(long millis) throws Exception {
		LocalObserver observer = BenchFlows.observer(FLOWS, FlowMetrics.NONE);
		for (int n = 0; n < FLOWS; n++) {
			observer.flow(BenchFlows.decoded(n));
		}
		List<GetFlowsResponse> prebuilt = new ArrayList<>();
		RingReader reader = observer.ring().readerAt(0);
		for (RingEvent event = reader.next(); event != null; event = reader.next()) {
			prebuilt.add(GetFlowsResponse.newBuilder()
				.setNodeName("bench-node")
				.setTime(event.time())
				.setFlow(event.flow())
				.build());
		}
		FlowStreams streams = new FlowStreams(4);
		Server observed = start(new ObserverService(observer, streams, "bench-node", "bench", ""));
		Server plain = start(new PlainStream(prebuilt));
		// Every flow matches, so each one pays for the selector.
		GetFlowsRequest labelled = GetFlowsRequest.newBuilder()
			.addWhitelist(FlowFilter.newBuilder().addSourceLabel("k8s:app=frontend"))
			.build();
		try {
			// Warm-up: both paths compiled before anything is measured.
			flowsPerSecond(plain, ALL, millis);
			flowsPerSecond(observed, ALL, millis);
			flowsPerSecond(observed, labelled, millis);
			for (int round = 1; round <= 3; round++) {
				double baseline = flowsPerSecond(plain, ALL, millis);
				double ours = flowsPerSecond(observed, ALL, millis);
				double filtered = flowsPerSecond(observed, labelled, millis);
				System.out.printf(
						"GetFlows round %d: %,.0f flows/s (ratio %.2f), with a label filter %,.0f flows/s "
								+ "(ratio %.2f); plain stream of pre-built flows %,.0f/s; load %s%n",
						round, ours, ours / baseline, filtered, filtered / baseline, baseline, HubbleBenchmark.load());
			}
		}
		finally {
			observed.shutdownNow();
			plain.shutdownNow();
			streams.stop();
		}
	}

	private static Server start(ObserverGrpc.ObserverImplBase service) throws Exception {
		return Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(service).build().start();
	}

	private static double flowsPerSecond(Server server, GetFlowsRequest request, long millis)
			throws InterruptedException {
		// A consumer that keeps up, as a relay does: responses are counted on the
		// transport's thread, no hand-off per message.
		ManagedChannel channel = Grpc
			.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
			.directExecutor()
			.build();
		try {
			ObserverGrpc.ObserverStub client = ObserverGrpc.newStub(channel);
			count(client, request); // warm-up
			long flows = 0;
			long start = System.nanoTime();
			long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
			while (System.nanoTime() < end) {
				flows += count(client, request);
			}
			return flows * 1e9 / (System.nanoTime() - start);
		}
		finally {
			channel.shutdownNow();
		}
	}

	private static long count(ObserverGrpc.ObserverStub client, GetFlowsRequest request) throws InterruptedException {
		long[] counted = new long[1];
		Throwable[] failed = new Throwable[1];
		CountDownLatch done = new CountDownLatch(1);
		client.getFlows(request, new StreamObserver<>() {
			@Override
			public void onNext(GetFlowsResponse response) {
				if (response.hasFlow()) {
					counted[0]++;
				}
			}

			@Override
			public void onError(Throwable ex) {
				failed[0] = ex;
				done.countDown();
			}

			@Override
			public void onCompleted() {
				done.countDown();
			}
		});
		if (!done.await(5, TimeUnit.MINUTES) || failed[0] != null) {
			throw new IllegalStateException("GetFlows did not complete", failed[0]);
		}
		long flows = counted[0];
		if (flows != FLOWS) {
			throw new IllegalStateException("read " + flows + " flows, the ring holds " + FLOWS);
		}
		return flows;
	}

	/**
	 * Sends pre-built responses from a thread of its own, waiting while gRPC's flow
	 * control says the transport is full: the observer's streaming without the ring,
	 * filters and building of responses.
	 */
	private static final class PlainStream extends ObserverGrpc.ObserverImplBase {

		private final List<GetFlowsResponse> responses;

		PlainStream(List<GetFlowsResponse> responses) {
			this.responses = responses;
		}

		@Override
		public void getFlows(GetFlowsRequest request, StreamObserver<GetFlowsResponse> observer) {
			ServerCallStreamObserver<GetFlowsResponse> call = (ServerCallStreamObserver<GetFlowsResponse>) observer;
			Object ready = new Object();
			call.setOnReadyHandler(() -> {
				synchronized (ready) {
					ready.notifyAll();
				}
			});
			Thread sender = new Thread(() -> {
				try {
					for (GetFlowsResponse response : this.responses) {
						if (!call.isReady()) {
							synchronized (ready) {
								while (!call.isReady() && !call.isCancelled()) {
									ready.wait(200);
								}
							}
						}
						call.onNext(response);
					}
					call.onCompleted();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "plain-stream");
			sender.setDaemon(true);
			sender.start();
		}

	}

}
