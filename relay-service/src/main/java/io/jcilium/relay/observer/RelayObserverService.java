package io.jcilium.relay.observer;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import io.grpc.BindableService;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetNamespacesRequest;
import io.jcilium.api.hubble.observer.GetNamespacesResponse;
import io.jcilium.api.hubble.observer.GetNodesRequest;
import io.jcilium.api.hubble.observer.GetNodesResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.relay.pool.PeerPool;

/**
 * Upstream's {@code observer.Observer} for the whole cluster, on the relay's gRPC port
 * (4245): {@code GetFlows} merged from every node ({@link MergedFlows}),
 * {@code GetNodes}, {@code ServerStatus} and {@code GetNamespaces} over every node
 * ({@link ClusterStatus}). Agent events and debug events are not relayed yet
 * ({@code UNIMPLEMENTED}).
 */
final class RelayObserverService implements ObserverGrpc.AsyncService, BindableService {

	private final PeerPool pool;

	private final FlowRequests requests;

	private final MergeSettings settings;

	private final ClusterStatus status;

	RelayObserverService(PeerPool pool, FlowRequests requests, MergeSettings settings, ClusterStatus status) {
		this.pool = pool;
		this.requests = requests;
		this.settings = settings;
		this.status = status;
	}

	/**
	 * The generated service with {@code GetFlows} served through {@link RawGetFlows}: the
	 * nodes' responses go out as the bytes they came in as.
	 */
	@Override
	public ServerServiceDefinition bindService() {
		ServerServiceDefinition generated = ObserverGrpc.bindService(this);
		ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(ObserverGrpc.SERVICE_NAME)
			.setSchemaDescriptor(generated.getServiceDescriptor().getSchemaDescriptor())
			.addMethod(RawGetFlows.METHOD);
		List<ServerMethodDefinition<?, ?>> others = generated.getMethods()
			.stream()
			.filter((method) -> !method.getMethodDescriptor()
				.getFullMethodName()
				.equals(RawGetFlows.METHOD.getFullMethodName()))
			.toList();
		others.forEach((method) -> descriptor.addMethod(method.getMethodDescriptor()));
		ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(descriptor.build())
			.addMethod(RawGetFlows.METHOD, ServerCalls.asyncServerStreamingCall(this::getRawFlows));
		others.forEach(service::addMethod);
		return service.build();
	}

	private void getRawFlows(GetFlowsRequest request, StreamObserver<byte[]> responses) {
		ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) responses;
		try {
			this.requests.run(new MergedFlows(this.pool, request, call, this.settings));
		}
		catch (RejectedExecutionException ex) {
			responses.onError(Status.RESOURCE_EXHAUSTED.withDescription(ex.getMessage()).asRuntimeException());
		}
	}

	@Override
	public void getNodes(GetNodesRequest request, StreamObserver<GetNodesResponse> responses) {
		try {
			responses.onNext(this.status.nodes());
			responses.onCompleted();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			responses.onError(Status.UNAVAILABLE.withDescription("the relay is shutting down").asRuntimeException());
		}
	}

	@Override
	public void getNamespaces(GetNamespacesRequest request, StreamObserver<GetNamespacesResponse> responses) {
		try {
			responses.onNext(this.status.namespaces());
			responses.onCompleted();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			responses.onError(Status.UNAVAILABLE.withDescription("the relay is shutting down").asRuntimeException());
		}
	}

	@Override
	public void serverStatus(ServerStatusRequest request, StreamObserver<ServerStatusResponse> responses) {
		try {
			responses.onNext(this.status.serverStatus());
			responses.onCompleted();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			responses.onError(Status.UNAVAILABLE.withDescription("the relay is shutting down").asRuntimeException());
		}
	}

}
