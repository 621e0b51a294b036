package io.jcilium.cli.hubble;

import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;

/**
 * One {@code GetFlows} call printed as it streams. It ends cleanly when the server ends
 * the stream, and on Ctrl-C: the JVM's shutdown then cancels the call and waits for what
 * was received to be printed and flushed, instead of cutting the output mid-line.
 */
final class FlowsCall {

	private static final long SHUTDOWN_WAIT_SECONDS = 2;

	private final HubbleServer hubble;

	private final GetFlowsRequest request;

	private final FlowsPrinter printer;

	private final CountDownLatch finished = new CountDownLatch(1);

	FlowsCall(HubbleServer hubble, GetFlowsRequest request, FlowsPrinter printer) {
		this.hubble = hubble;
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
		try {
			Iterator<GetFlowsResponse> responses = ObserverGrpc.newBlockingStub(this.hubble.channel())
				.getFlows(this.request);
			while (responses.hasNext()) {
				this.printer.print(responses.next());
			}
		}
		catch (StatusRuntimeException ex) {
			if (ex.getStatus().getCode() == Status.Code.CANCELLED && Context.current().isCancelled()) {
				return; // stopped by the user
			}
			if (ex.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
				throw new IllegalArgumentException("hubble server " + this.hubble.target() + " refused the request: "
						+ ex.getStatus().getDescription());
			}
			throw this.hubble.failure(ex);
		}
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

}
