package io.jcilium.cli.hubble;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;

/**
 * One {@code GetFlows} call printed as it streams. It ends cleanly when the server ends
 * the stream, and on Ctrl-C: the JVM's shutdown then cancels the call and waits for what
 * was received to be printed and flushed, instead of cutting the output mid-line.
 * <p>
 * Responses are asked for in batches ({@link #WINDOW} outstanding, more asked for once
 * half of them are printed), not one at a time as gRPC's blocking stub does: one at a
 * time, every flow waits for a round trip between this thread and the transport's, which
 * caps a client at about 10,000 flows/s here.
 */
final class FlowsCall {

	/** Responses asked for and not yet printed, at most. */
	static final int WINDOW = 1024;

	private static final long SHUTDOWN_WAIT_SECONDS = 2;

	/** Put on the queue when the server ends the stream. */
	private static final Object END = new Object();

	private final HubbleServer hubble;

	private final Channel channel;

	private final GetFlowsRequest request;

	private final FlowsPrinter printer;

	private final CountDownLatch finished = new CountDownLatch(1);

	FlowsCall(HubbleServer hubble, GetFlowsRequest request, FlowsPrinter printer) {
		this(hubble, hubble.channel(), request, printer);
	}

	/**
	 * @param hubble the server, for the wording of failures
	 * @param channel the channel to it the call goes through
	 * @param request the request
	 * @param printer where responses go
	 */
	FlowsCall(HubbleServer hubble, Channel channel, GetFlowsRequest request, FlowsPrinter printer) {
		this.hubble = hubble;
		this.channel = channel;
		this.request = request;
		this.printer = printer;
	}

	void run() {
		Context.CancellableContext call = Context.current().withCancellation();
		Thread interrupted = new Thread(() -> {
			call.cancel(null);
			awaitFinished();
		}, "hubble-observe-stop");
		Runtime.getRuntime().addShutdownHook(interrupted);
		try {
			call.run(this::stream);
		}
		finally {
			this.printer.flush();
			this.finished.countDown();
			removeHook(interrupted);
		}
	}

	private void stream() {
		BlockingQueue<Object> received = new LinkedBlockingQueue<>();
		Responses responses = new Responses(received);
		ObserverGrpc.newStub(this.channel).getFlows(this.request, responses);
		try {
			int printed = 0;
			for (Object next = received.take(); next != END; next = received.take()) {
				if (next instanceof Throwable failure) {
					failed(Status.fromThrowable(failure).asRuntimeException());
					return;
				}
				this.printer.print((GetFlowsResponse) next);
				if (received.isEmpty()) {
					// nothing more has come: show what has (a --follow waits here)
					this.printer.flush();
				}
				if (++printed == WINDOW / 2) {
					responses.askFor(printed);
					printed = 0;
				}
			}
		}
		catch (InterruptedException ex) {
			responses.cancel();
			Thread.currentThread().interrupt();
		}
	}

	private void failed(StatusRuntimeException ex) {
		if (ex.getStatus().getCode() == Status.Code.CANCELLED && Context.current().isCancelled()) {
			return; // stopped by the user
		}
		if (ex.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
			throw new IllegalArgumentException("hubble server " + this.hubble.target() + " refused the request: "
					+ ex.getStatus().getDescription());
		}
		throw this.hubble.failure(ex);
	}

	private void awaitFinished() {
		try {
			this.finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void removeHook(Thread hook) {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// The JVM is already shutting down (Ctrl-C): the hook is running.
		}
	}

	/**
	 * The call's responses, queued for the printing thread in the order they came; the
	 * stream's end or failure comes last.
	 */
	private static final class Responses implements ClientResponseObserver<GetFlowsRequest, GetFlowsResponse> {

		private final BlockingQueue<Object> received;

		private volatile ClientCallStreamObserver<GetFlowsRequest> call;

		Responses(BlockingQueue<Object> received) {
			this.received = received;
		}

		@Override
		public void beforeStart(ClientCallStreamObserver<GetFlowsRequest> requestStream) {
			requestStream.disableAutoRequestWithInitial(WINDOW);
			this.call = requestStream;
		}

		void askFor(int count) {
			this.call.request(count);
		}

		void cancel() {
			this.call.cancel("interrupted", null);
		}

		@Override
		public void onNext(GetFlowsResponse response) {
			this.received.add(response);
		}

		@Override
		public void onError(Throwable failure) {
			this.received.add(failure);
		}

		@Override
		public void onCompleted() {
			this.received.add(END);
		}

	}

}
