package io.jcilium.relay.observer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.protobuf.UInt32Value;
import io.jcilium.api.hubble.observer.GetNamespacesRequest;
import io.jcilium.api.hubble.observer.GetNamespacesResponse;
import io.jcilium.api.hubble.observer.GetNodesResponse;
import io.jcilium.api.hubble.observer.Namespace;
import io.jcilium.api.hubble.observer.Node;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.api.hubble.observer.TLS;
import io.jcilium.api.hubble.relay.NodeState;
import io.jcilium.relay.pool.PeerConnection;
import io.jcilium.relay.pool.PeerPool;

/**
 * {@code GetNodes}, {@code ServerStatus} and {@code GetNamespaces} for the whole cluster:
 * every available node is asked at once, each within the status timeout; a node that does
 * not answer counts as unavailable (and its connection as failed), never as an error of
 * the call. As upstream, counters are summed, the uptime is the longest, at most ten
 * unavailable nodes are named, and namespaces are merged without duplicates, sorted by
 * cluster and name.
 */
final class ClusterStatus {

	static final int UNAVAILABLE_NODES_NAMED_MAX = 10;

	private final PeerPool pool;

	private final Duration timeout;

	private final String version;

	ClusterStatus(PeerPool pool, Duration timeout, String version) {
		this.pool = pool;
		this.timeout = timeout;
		this.version = version;
	}

	GetNodesResponse nodes() throws InterruptedException {
		GetNodesResponse.Builder response = GetNodesResponse.newBuilder();
		statuses().forEach((connection, status) -> {
			Node.Builder node = Node.newBuilder()
				.setName(connection.name())
				.setAddress(connection.peer().address())
				.setTls(TLS.newBuilder().setEnabled(connection.tls()).setServerName(connection.verifiedServerName()))
				.setState((status != null) ? NodeState.NODE_CONNECTED : NodeState.NODE_UNAVAILABLE);
			if (status != null) {
				node.setVersion(status.getVersion())
					.setUptimeNs(status.getUptimeNs())
					.setNumFlows(status.getNumFlows())
					.setMaxFlows(status.getMaxFlows())
					.setSeenFlows(status.getSeenFlows());
			}
			response.addNodes(node);
		});
		return response.build();
	}

	ServerStatusResponse serverStatus() throws InterruptedException {
		ServerStatusResponse.Builder response = ServerStatusResponse.newBuilder().setVersion(this.version);
		int connected = 0;
		List<String> unavailable = new ArrayList<>();
		int unavailableCount = 0;
		for (Map.Entry<PeerConnection, ServerStatusResponse> entry : statuses().entrySet()) {
			ServerStatusResponse status = entry.getValue();
			if (status == null) {
				unavailableCount++;
				if (unavailable.size() < UNAVAILABLE_NODES_NAMED_MAX) {
					unavailable.add(entry.getKey().name());
				}
				continue;
			}
			connected++;
			response.setNumFlows(response.getNumFlows() + status.getNumFlows())
				.setMaxFlows(response.getMaxFlows() + status.getMaxFlows())
				.setSeenFlows(response.getSeenFlows() + status.getSeenFlows())
				.setUptimeNs(Math.max(response.getUptimeNs(), status.getUptimeNs()))
				.setFlowsRate(response.getFlowsRate() + status.getFlowsRate());
		}
		return response.setNumConnectedNodes(UInt32Value.of(connected))
			.setNumUnavailableNodes(UInt32Value.of(unavailableCount))
			.addAllUnavailableNodes(unavailable)
			.build();
	}

	GetNamespacesResponse namespaces() throws InterruptedException {
		this.pool.awaitFirstPeer();
		Map<PeerConnection, Future<GetNamespacesResponse>> calls = new LinkedHashMap<>();
		for (PeerConnection connection : this.pool.list()) {
			if (connection.callable()) {
				calls.put(connection,
						connection.observerFuture()
							.withDeadlineAfter(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
							.getNamespaces(GetNamespacesRequest.getDefaultInstance()));
			}
		}
		SortedSet<Namespace> merged = new TreeSet<>(
				Comparator.comparing(Namespace::getCluster).thenComparing(Namespace::getNamespace));
		for (Map.Entry<PeerConnection, Future<GetNamespacesResponse>> call : calls.entrySet()) {
			GetNamespacesResponse answer = await(call.getKey(), call.getValue());
			if (answer != null) {
				merged.addAll(answer.getNamespacesList());
			}
		}
		return GetNamespacesResponse.newBuilder().addAllNamespaces(merged).build();
	}

	/** Each known node's status, {@code null} for one unavailable or not answering. */
	private Map<PeerConnection, ServerStatusResponse> statuses() throws InterruptedException {
		this.pool.awaitFirstPeer();
		Map<PeerConnection, Future<ServerStatusResponse>> calls = new LinkedHashMap<>();
		for (PeerConnection connection : this.pool.list()) {
			calls.put(connection,
					connection.callable() ? connection.observerFuture()
						.withDeadlineAfter(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
						.serverStatus(ServerStatusRequest.getDefaultInstance()) : null);
		}
		Map<PeerConnection, ServerStatusResponse> statuses = new LinkedHashMap<>();
		for (Map.Entry<PeerConnection, Future<ServerStatusResponse>> call : calls.entrySet()) {
			statuses.put(call.getKey(), (call.getValue() != null) ? await(call.getKey(), call.getValue()) : null);
		}
		return statuses;
	}

	private <T> T await(PeerConnection connection, Future<T> call) throws InterruptedException {
		try {
			T status = call.get(this.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
			this.pool.answered(connection);
			return status;
		}
		catch (ExecutionException | TimeoutException ex) {
			call.cancel(true);
			connection.failed(ex);
			return null;
		}
	}

}
