package io.jcilium.relay.observer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.relay.NodeState;
import io.jcilium.relay.pool.PeerConnection;
import io.jcilium.relay.pool.PeerPool;

/**
 * One {@code GetFlows} call through the relay, on a thread of its own: sends the client's
 * request to every available node, tells the client which nodes take part and which are
 * away ({@code node_status}), and merges the nodes' streams by time through the
 * {@link SortBuffer}. A node that fails never fails the call: the client hears that it is
 * unavailable and gets the others' flows; with {@code follow}, the node is picked up
 * again when the pool reaches it (and a node that joins the cluster is picked up too).
 * Only a request an agent refuses as invalid ends the call with the agent's error.
 */
final class MergedFlows implements Runnable {

	private static final long POLL_MILLIS = 200;

	private final PeerPool pool;

	private final GetFlowsRequest request;

	private final ServerCallStreamObserver<GetFlowsResponse> call;

	private final Executor readers;

	private final MergeSettings settings;

	private final Context.CancellableContext context;

	private final BlockingQueue<NodeEvent> events;

	private final RequestNodes nodes;

	private final boolean follow;

	// Without follow, number applies to the whole cluster: everything is kept to the end.
	private final boolean limited;

	private final Object ready = new Object();

	private SortBuffer buffer;

	MergedFlows(PeerPool pool, GetFlowsRequest request, ServerCallStreamObserver<GetFlowsResponse> call,
			Executor readers, MergeSettings settings) {
		this.pool = pool;
		this.request = request;
		this.call = call;
		this.readers = readers;
		this.settings = settings;
		// A child of the client's call: its cancellation reaches every node's call.
		this.context = Context.current().withCancellation();
		this.events = new ArrayBlockingQueue<>(settings.queueCapacity());
		this.nodes = new RequestNodes(request);
		this.follow = request.getFollow();
		this.limited = !this.follow && request.getNumber() > 0;
		// Must be set before the service method returns.
		call.setOnReadyHandler(this::wake);
		call.setOnCancelHandler(this::wake);
	}

	@Override
	public void run() {
		Runnable unlisten = this.follow
				? this.pool.onAvailable((connection) -> this.events.offer(new NodeEvent.Available(connection)))
				: () -> {
				};
		try {
			start();
			merge();
			finish();
		}
		catch (RefusedRequest ex) {
			close(ex.status);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close(Status.UNAVAILABLE.withDescription("the relay is shutting down"));
		}
		catch (RuntimeException ex) {
			close(Status.INTERNAL.withDescription(ex.toString()));
		}
		finally {
			unlisten.run();
			this.context.cancel(null);
		}
	}

	private void start() throws InterruptedException {
		List<String> connected = new ArrayList<>();
		List<String> unavailable = new ArrayList<>();
		for (PeerConnection connection : this.pool.list()) {
			if (connection.available()) {
				read(connection);
				connected.add(connection.name());
			}
			else {
				this.nodes.away(connection.name());
				unavailable.add(connection.name());
			}
		}
		this.buffer = new SortBuffer(this.limited ? Integer.MAX_VALUE : this.settings.sortBufferMaxLen());
		if (!connected.isEmpty()) {
			send(NodeStatuses.event(NodeState.NODE_CONNECTED, connected, null));
		}
		if (!unavailable.isEmpty()) {
			send(NodeStatuses.event(NodeState.NODE_UNAVAILABLE, unavailable, "no connection to the node's Hubble API"));
		}
	}

	private void merge() throws InterruptedException {
		long waitMillis = this.limited ? POLL_MILLIS : this.settings.sortBufferDrainTimeout().toMillis();
		while (!this.call.isCancelled() && !this.nodes.finished(this.follow)) {
			NodeEvent event = this.events.poll(waitMillis, TimeUnit.MILLISECONDS);
			if (event == null) {
				if (!this.limited) {
					flush();
				}
				continue;
			}
			handle(event);
		}
	}

	private void handle(NodeEvent event) throws InterruptedException {
		if (event instanceof NodeEvent.Response response) {
			if (this.nodes.accept(response.node(), SortBuffer.nanos(response.response()))) {
				GetFlowsResponse out = this.buffer.push(response.response());
				if (out != null) {
					send(out);
				}
			}
		}
		else if (event instanceof NodeEvent.Ended) {
			this.nodes.ended(event.node());
		}
		else if (event instanceof NodeEvent.Failed failed) {
			failed(failed);
		}
		else if (event instanceof NodeEvent.Available available && this.follow
				&& this.nodes.mayResume(available.node())) {
			read(available.connection());
			send(NodeStatuses.event(NodeState.NODE_CONNECTED, List.of(available.node()), null));
		}
	}

	private void failed(NodeEvent.Failed failed) throws InterruptedException {
		if (failed.status().getCode() == Status.Code.INVALID_ARGUMENT) {
			throw new RefusedRequest(failed.status());
		}
		String message = failed.status().getCode() + ": " + failed.status().getDescription();
		if (failed.unavailable() && this.follow) {
			this.nodes.away(failed.node());
		}
		else {
			this.nodes.ended(failed.node());
		}
		send(NodeStatuses.event(failed.unavailable() ? NodeState.NODE_UNAVAILABLE : NodeState.NODE_ERROR,
				List.of(failed.node()), message));
	}

	private void finish() throws InterruptedException {
		if (this.call.isCancelled()) {
			return;
		}
		List<GetFlowsResponse> rest = this.buffer.drain();
		if (this.limited) {
			rest = NumberLimit.select(rest, this.request.getNumber(), this.request.getFirst());
		}
		for (GetFlowsResponse response : rest) {
			send(response);
		}
		if (!this.call.isCancelled()) {
			this.call.onCompleted();
		}
	}

	private void read(PeerConnection connection) {
		GetFlowsRequest forNode = this.nodes.requestFor(connection.name());
		this.nodes.reading(connection.name());
		this.readers.execute(this.context.wrap(new NodeReader(connection, forNode, this.events, this.context)));
	}

	private void flush() throws InterruptedException {
		for (GetFlowsResponse response : this.buffer.drain()) {
			send(response);
		}
	}

	private void send(GetFlowsResponse response) throws InterruptedException {
		synchronized (this.ready) {
			while (!this.call.isReady() && !this.call.isCancelled()) {
				this.ready.wait(POLL_MILLIS);
			}
		}
		if (!this.call.isCancelled()) {
			this.call.onNext(response);
		}
	}

	private void close(Status status) {
		if (!this.call.isCancelled()) {
			this.call.onError(status.asRuntimeException());
		}
	}

	private void wake() {
		synchronized (this.ready) {
			this.ready.notifyAll();
		}
	}

	/** An agent refused the request itself (e.g. a filter it cannot parse). */
	private static final class RefusedRequest extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final transient Status status;

		RefusedRequest(Status status) {
			super(status.getDescription(), null, false, false);
			this.status = status;
		}

	}

}
