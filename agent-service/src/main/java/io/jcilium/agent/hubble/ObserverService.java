package io.jcilium.agent.hubble;

import java.util.concurrent.RejectedExecutionException;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.agent.hubble.filter.InvalidFilterException;
import io.jcilium.agent.hubble.history.FlowHistory;
import io.jcilium.agent.hubble.history.HistoryReader;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.GetNamespacesRequest;
import io.jcilium.api.hubble.observer.GetNamespacesResponse;
import io.jcilium.api.hubble.observer.GetNodesRequest;
import io.jcilium.api.hubble.observer.GetNodesResponse;
import io.jcilium.api.hubble.observer.Namespace;
import io.jcilium.api.hubble.observer.Node;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.api.hubble.observer.TLS;
import io.jcilium.api.hubble.relay.NodeState;

/**
 * Upstream's {@code observer.Observer} for this node: {@code GetFlows} from the ring
 * (and, with {@code since}, first from the flow history when the agent keeps one),
 * {@code ServerStatus}, {@code GetNodes} (this node only) and {@code GetNamespaces}
 * (those of this node's flows in the last hour, in its cluster). Maps requests and status
 * codes; the rules live in {@link FlowQuery} and {@link FlowStream}. Agent events and
 * debug events are not served yet ({@code UNIMPLEMENTED}).
 */
final class ObserverService extends ObserverGrpc.ObserverImplBase {

	private final LocalObserver observer;

	private final FlowStreams streams;

	private final String nodeName;

	private final String version;

	private final String address;

	private final String clusterName;

	private final FlowHistory history;

	ObserverService(LocalObserver observer, FlowStreams streams, String nodeName, String version, String address) {
		this(observer, streams, nodeName, version, address, "default", null);
	}

	ObserverService(LocalObserver observer, FlowStreams streams, String nodeName, String version, String address,
			String clusterName, FlowHistory history) {
		this.history = history;
		this.observer = observer;
		this.streams = streams;
		this.nodeName = nodeName;
		this.version = version;
		this.address = address;
		this.clusterName = clusterName;
	}

	@Override
	public void getFlows(GetFlowsRequest request, StreamObserver<GetFlowsResponse> responses) {
		FlowQuery query;
		try {
			query = FlowQuery.of(request);
		}
		catch (InvalidFilterException ex) {
			responses.onError(Status.INVALID_ARGUMENT.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		ServerCallStreamObserver<GetFlowsResponse> call = (ServerCallStreamObserver<GetFlowsResponse>) responses;
		HistoryReader past = (this.history != null && query.sinceNanos() != Long.MIN_VALUE)
				? this.history.read(query.sinceNanos()) : null;
		FlowStream stream = new FlowStream(this.observer.ring(), past, query, call, this.nodeName,
				this.observer.metrics());
		try {
			this.streams.run(stream);
		}
		catch (RejectedExecutionException ex) {
			if (past != null) {
				past.close();
			}
			responses.onError(Status.RESOURCE_EXHAUSTED.withDescription(ex.getMessage()).asRuntimeException());
		}
	}

	@Override
	public void serverStatus(ServerStatusRequest request, StreamObserver<ServerStatusResponse> responses) {
		responses.onNext(ServerStatusResponse.newBuilder()
			.setNumFlows(this.observer.ring().size())
			.setMaxFlows(this.observer.ring().capacity())
			.setSeenFlows(this.observer.seenFlows())
			.setUptimeNs(this.observer.uptimeNanos())
			.setVersion(this.version)
			.build());
		responses.onCompleted();
	}

	@Override
	public void getNamespaces(GetNamespacesRequest request, StreamObserver<GetNamespacesResponse> responses) {
		GetNamespacesResponse.Builder response = GetNamespacesResponse.newBuilder();
		for (String namespace : this.observer.namespaces()) {
			response.addNamespaces(Namespace.newBuilder().setCluster(this.clusterName).setNamespace(namespace));
		}
		responses.onNext(response.build());
		responses.onCompleted();
	}

	@Override
	public void getNodes(GetNodesRequest request, StreamObserver<GetNodesResponse> responses) {
		responses.onNext(GetNodesResponse.newBuilder()
			.addNodes(Node.newBuilder()
				.setName(this.nodeName)
				.setVersion(this.version)
				.setAddress(this.address)
				.setState(NodeState.NODE_CONNECTED)
				.setTls(TLS.newBuilder().setEnabled(false))
				.setUptimeNs(this.observer.uptimeNanos())
				.setNumFlows(this.observer.ring().size())
				.setMaxFlows(this.observer.ring().capacity())
				.setSeenFlows(this.observer.seenFlows()))
			.build());
		responses.onCompleted();
	}

}
