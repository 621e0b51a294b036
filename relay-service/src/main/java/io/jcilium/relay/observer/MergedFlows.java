package io.jcilium.relay.observer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.relay.NodeState;
import io.jcilium.relay.pool.PeerConnection;
import io.jcilium.relay.pool.PeerPool;

/**
 * One {@code GetFlows} call through the relay, on a thread of its own: sends the client's
 * request to every node available or not tried yet ({@link NodeStream}; a relay that has
 * just started or just learned a node asks it rather than call it away before its first
 * probe), tells the client which nodes take part and which are away
 * ({@code node_status}), and merges the nodes' streams in time order ({@link NodeMerge}).
 * Without {@code follow} but with {@code number}, everything is kept to the end and the
 * cluster's first or last {@code number} sent ({@link NumberLimit}). A node that fails
 * never fails the call: the client hears that it is unavailable and gets the others'
 * flows; with {@code follow}, the node is picked up again when the pool reaches it (and a
 * node that joins the cluster is picked up too). Only a request an agent refuses as
 * invalid ends the call with the agent's error.
 */
final class MergedFlows implements Runnable {

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private static final int EVENT_BATCH = 1024;

	private final PeerPool pool;

	private final GetFlowsRequest request;

	private final ClientStream call;

	private final MergeSettings settings;

	// Unbounded, but each node may only have its flow-control window in it.
	private final BlockingQueue<NodeEvent> events = new LinkedBlockingQueue<>();

	private final RequestNodes nodes;

	private final Map<String, NodeStream> streams = new HashMap<>();

	private final NodeMerge merge;

	private final boolean follow;

	// Without follow, number applies to the whole cluster: everything is kept to the end.
	private final boolean limited;

	private final List<WireResponse> kept = new ArrayList<>();

	MergedFlows(PeerPool pool, GetFlowsRequest request, ServerCallStreamObserver<byte[]> call, MergeSettings settings) {
		this.pool = pool;
		this.request = request;
		this.call = new ClientStream(call);
		this.settings = settings;
		this.nodes = new RequestNodes(request);
		this.follow = request.getFollow();
		// Without follow every node ends its stream: wait for each, however slow.
		this.merge = this.follow ? new NodeMerge(settings.sortBufferDrainTimeout(), this::taken)
				: NodeMerge.exact(this::taken);
		this.limited = !this.follow && request.getNumber() > 0;
	}

	@Override
	public void run() {
		Runnable unlisten = this.follow
				? this.pool.onAvailable((connection) -> this.events.add(new NodeEvent.Available(connection))) : () -> {
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
			this.streams.values().forEach(NodeStream::cancel);
		}
	}

	private void start() throws InterruptedException {
		this.pool.awaitFirstPeer();
		List<String> connected = new ArrayList<>();
		List<String> unavailable = new ArrayList<>();
		for (PeerConnection connection : this.pool.list()) {
			if (connection.callable()) {
				read(connection);
				connected.add(connection.name());
			}
			else {
				this.nodes.away(connection.name());
				unavailable.add(connection.name());
			}
		}
		if (!connected.isEmpty()) {
			send(NodeStatuses.event(NodeState.NODE_CONNECTED, connected, null));
		}
		if (!unavailable.isEmpty()) {
			send(NodeStatuses.event(NodeState.NODE_UNAVAILABLE, unavailable, "no connection to the node's Hubble API"));
		}
	}

	private void merge() throws InterruptedException {
		List<NodeEvent> batch = new ArrayList<>(EVENT_BATCH);
		while (!this.call.isCancelled() && !this.nodes.finished(this.follow)) {
			long now = System.nanoTime();
			for (WireResponse next = this.merge.next(now); next != null; next = this.merge.next(now)) {
				send(next);
			}
			long wait = this.merge.waitNanos(now);
			NodeEvent first = this.events.poll((wait > 0) ? Math.min(wait, POLL_NANOS) : POLL_NANOS,
					TimeUnit.NANOSECONDS);
			if (first != null) {
				// One hand-off for everything that arrived meanwhile, not one per
				// response.
				batch.add(first);
				this.events.drainTo(batch, EVENT_BATCH - 1);
				for (NodeEvent event : batch) {
					handle(event);
				}
				batch.clear();
			}
		}
	}

	private void handle(NodeEvent event) throws InterruptedException {
		if (event instanceof NodeEvent.Response response) {
			WireResponse wire = response.response();
			if (!this.nodes.accept(response.node(), wire.nanos())) {
				taken(response.node());
			}
			else if (this.limited) {
				this.kept.add(wire);
				taken(response.node());
			}
			else {
				this.merge.add(response.node(), wire, System.nanoTime());
			}
		}
		else if (event instanceof NodeEvent.Ended) {
			this.nodes.ended(event.node());
			this.merge.close(event.node());
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
		this.merge.close(failed.node());
		send(NodeStatuses.event(failed.unavailable() ? NodeState.NODE_UNAVAILABLE : NodeState.NODE_ERROR,
				List.of(failed.node()), message));
	}

	private void finish() throws InterruptedException {
		if (this.call.isCancelled()) {
			return;
		}
		List<WireResponse> rest = this.merge.drain();
		if (this.limited) {
			this.kept.sort(Comparator.comparingLong(WireResponse::nanos));
			rest = NumberLimit.select(this.kept, this.request.getNumber(), this.request.getFirst());
		}
		for (WireResponse response : rest) {
			send(response);
		}
		this.call.complete();
	}

	private void read(PeerConnection connection) {
		String node = connection.name();
		GetFlowsRequest forNode = this.nodes.requestFor(node);
		this.nodes.reading(node);
		NodeStream stream = new NodeStream(connection, this.events::add, this.settings.sortBufferMaxLen());
		NodeStream before = this.streams.put(node, stream);
		if (before != null) {
			before.cancel();
		}
		this.merge.open(node, System.nanoTime());
		stream.start(forNode);
	}

	private void taken(String node) {
		NodeStream stream = this.streams.get(node);
		if (stream != null) {
			stream.taken();
		}
	}

	private void send(GetFlowsResponse response) throws InterruptedException {
		this.call.send(response);
	}

	private void send(WireResponse response) throws InterruptedException {
		this.call.send(response);
	}

	private void close(Status status) {
		this.call.fail(status);
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
