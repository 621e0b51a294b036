package io.jcilium.cli.hubble;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
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

/**
 * A real gRPC server on a random loopback port with the Observer and health services,
 * answering with what a test gives it and keeping every {@code GetFlows} request it got.
 */
final class TestObserver implements AutoCloseable {

	final List<GetFlowsRequest> requests = new CopyOnWriteArrayList<>();

	/** What {@code GetNamespaces} answers. */
	volatile List<Namespace> namespaces = List.of();

	/** When set, {@code GetFlows} fails with it, as a server refusing a request does. */
	volatile Status refusal;

	/**
	 * When set, {@code GetFlows} keeps the stream open after its flows, as a server
	 * following new flows does, until the client cancels the call.
	 */
	volatile boolean following;

	private final List<GetFlowsResponse> responses;

	private final List<Node> nodes;

	private final ServerStatusResponse status;

	private final Server server;

	TestObserver(List<GetFlowsResponse> responses, List<Node> nodes, ServerStatusResponse status) throws IOException {
		this.responses = responses;
		this.nodes = nodes;
		this.status = status;
		this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(new Service())
			.addService(new HealthStatusManager().getHealthService())
			.build()
			.start();
	}

	String address() {
		return "127.0.0.1:" + this.server.getPort();
	}

	@Override
	public void close() {
		this.server.shutdownNow();
	}

	private final class Service extends ObserverGrpc.ObserverImplBase {

		@Override
		public void getFlows(GetFlowsRequest request, StreamObserver<GetFlowsResponse> observer) {
			TestObserver.this.requests.add(request);
			Status refusal = TestObserver.this.refusal;
			if (refusal != null) {
				observer.onError(refusal.asRuntimeException());
				return;
			}
			TestObserver.this.responses.forEach(observer::onNext);
			if (!TestObserver.this.following) {
				observer.onCompleted();
			}
		}

		@Override
		public void getNodes(GetNodesRequest request, StreamObserver<GetNodesResponse> observer) {
			observer.onNext(GetNodesResponse.newBuilder().addAllNodes(TestObserver.this.nodes).build());
			observer.onCompleted();
		}

		@Override
		public void getNamespaces(GetNamespacesRequest request, StreamObserver<GetNamespacesResponse> observer) {
			observer.onNext(GetNamespacesResponse.newBuilder().addAllNamespaces(TestObserver.this.namespaces).build());
			observer.onCompleted();
		}

		@Override
		public void serverStatus(ServerStatusRequest request, StreamObserver<ServerStatusResponse> observer) {
			observer.onNext(TestObserver.this.status);
			observer.onCompleted();
		}

	}

}
