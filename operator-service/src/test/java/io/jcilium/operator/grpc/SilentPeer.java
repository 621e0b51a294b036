package io.jcilium.operator.grpc;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A real gRPC server on loopback (TCP, HTTP/2) that accepts every call of the services it
 * is given and never answers, as a peer that hangs would: a caller without a deadline
 * waits forever.
 */
public final class SilentPeer implements AutoCloseable {

	/**
	 * How long a call may take past its deadline before the test gives up on it: a bound
	 * for a loaded machine, not a measurement.
	 */
	private static final Duration SLACK = Duration.ofSeconds(20);

	private final Server server;

	private final ManagedChannel channel;

	private final AtomicInteger received = new AtomicInteger();

	/**
	 * Starts the server for {@code services} and a plaintext channel to it.
	 * @param services the services whose every method is accepted and left unanswered
	 * @throws IOException when the server cannot listen
	 */
	public SilentPeer(ServiceDescriptor... services) throws IOException {
		var builder = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create());
		for (ServiceDescriptor service : services) {
			ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service);
			for (MethodDescriptor<?, ?> method : service.getMethods()) {
				add(definition, method);
			}
			builder.addService(definition.build());
		}
		this.server = builder.build().start();
		this.channel = Grpc
			.newChannelBuilderForAddress("127.0.0.1", this.server.getPort(), InsecureChannelCredentials.create())
			.build();
	}

	private <Q, R> void add(ServerServiceDefinition.Builder definition, MethodDescriptor<Q, R> method) {
		ServerCallHandler<Q, R> never = ServerCalls
			.asyncUnaryCall((request, response) -> this.received.incrementAndGet());
		definition.addMethod(method, never);
	}

	/** The channel to this peer. */
	public ManagedChannel channel() {
		return this.channel;
	}

	/**
	 * Runs {@code call}, which must end with {@code DEADLINE_EXCEEDED} once its deadline
	 * has passed, after the peer received it.
	 * @param name the call, for the failure message
	 * @param deadline the caller's deadline
	 * @param call the call
	 */
	public void assertEndsAtItsDeadline(String name, Duration deadline, Supplier<?> call) {
		int before = this.received.get();
		long started = System.nanoTime();
		StatusRuntimeException failure = assertTimeoutPreemptively(deadline.plus(SLACK),
				() -> assertThatExceptionOfType(StatusRuntimeException.class).as(name).isThrownBy(call::get).actual(),
				() -> name + " still waits for the silent peer " + deadline.plus(SLACK) + " after it started: "
						+ "it has no deadline");
		long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		assertThat(failure.getStatus().getCode()).as(name).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
		assertThat(failure.getMessage()).as(name).contains("deadline exceeded");
		assertThat(tookMillis).as("%s ended no sooner than its deadline", name)
			.isGreaterThanOrEqualTo(deadline.toMillis() - 50);
		assertThat(this.received.get()).as("%s reached the peer", name).isGreaterThan(before);
	}

	@Override
	public void close() {
		this.channel.shutdownNow();
		this.server.shutdownNow();
	}

}
