package io.jcilium.ipam.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.ListPoolsRequest;
import io.jcilium.api.ipam.v1.ListPoolsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bound on calls in flight, on a real (in-process) gRPC server whose handlers wait as
 * calls waiting for Redis do.
 */
class CallsInFlightTest {

	private final CountDownLatch release = new CountDownLatch(1);

	private final CountDownLatch entered = new CountDownLatch(2);

	private final ExecutorService serverThreads = Executors.newCachedThreadPool();

	private final ExecutorService clients = Executors.newFixedThreadPool(2);

	private final CallsInFlight limit = new CallsInFlight(2);

	private Server server;

	private ManagedChannel channel;

	@AfterEach
	void stop() throws InterruptedException {
		this.release.countDown();
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		this.serverThreads.shutdownNow();
		this.clients.shutdownNow();
	}

	@Test
	void aCallPastTheLimitIsRefusedAtOnceAndFinishedCallsFreeTheirPlaces() throws Exception {
		String name = InProcessServerBuilder.generateName();
		this.server = InProcessServerBuilder.forName(name)
			.executor(this.serverThreads)
			.addService(ServerInterceptors.intercept(new WaitingService(), this.limit))
			.build()
			.start();
		this.channel = InProcessChannelBuilder.forName(name).build();

		List<Future<ListPoolsResponse>> waiting = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			waiting.add(this.clients.submit(() -> stub().listPools(ListPoolsRequest.getDefaultInstance())));
		}
		assertThat(this.entered.await(60, TimeUnit.SECONDS)).isTrue();
		assertThat(this.limit.inFlight()).isEqualTo(2);

		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> stub().listPools(ListPoolsRequest.getDefaultInstance()))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
				assertThat(ex.getStatus().getDescription())
					.contains("2 calls in flight, the most jcilium.ipam.grpc.max-calls-in-flight allows");
			});

		this.release.countDown();
		for (Future<ListPoolsResponse> call : waiting) {
			call.get(60, TimeUnit.SECONDS);
		}
		assertThat(stub().listPools(ListPoolsRequest.getDefaultInstance())).isNotNull();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (this.limit.inFlight() != 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(this.limit.inFlight()).isZero();
	}

	private IpamServiceGrpc.IpamServiceBlockingStub stub() {
		return IpamServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(60, TimeUnit.SECONDS);
	}

	/** Holds each call until the test releases them, as a call waiting for Redis. */
	private final class WaitingService extends IpamServiceGrpc.IpamServiceImplBase {

		@Override
		public void listPools(ListPoolsRequest request, StreamObserver<ListPoolsResponse> responses) {
			CallsInFlightTest.this.entered.countDown();
			try {
				CallsInFlightTest.this.release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			responses.onNext(ListPoolsResponse.getDefaultInstance());
			responses.onCompleted();
		}

	}

}
